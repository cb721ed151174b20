"""signals of concern: the public form's signals, where they go, their history and access log,
and the places each info point takes signals for

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:40:23.804310
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signal_access',
    sa.Column('signal_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_access'))
    )
    with op.batch_alter_table('signal_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_access_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_access_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_access_signal_id'), ['signal_id'], unique=False)

    op.create_table('signal_area',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=True),
    sa.Column('neighbourhood_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(municipality_id IS NULL) <> (neighbourhood_id IS NULL)', name=op.f('ck_signal_area_one_place')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_signal_area_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_signal_area_neighbourhood_id_neighbourhood')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_signal_area_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_area'))
    )
    with op.batch_alter_table('signal_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_area_organization_id'), ['organization_id'], unique=False)

    op.create_table('signal',
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('new', 'taken_up', 'contacted', 'handed_over', 'closed', 'unreachable', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('observations', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('neighbourhood_id', sa.Uuid(), nullable=True),
    sa.Column('postcode_id', sa.Uuid(), nullable=True),
    sa.Column('person_language', sa.String(length=12), nullable=True),
    sa.Column('person_aware', sa.Enum('yes', 'no', 'not_sure', name='person_aware', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('signaller_email', sa.String(length=254), nullable=True),
    sa.Column('signaller_phone', sa.String(length=40), nullable=True),
    sa.Column('locale', sa.String(length=12), nullable=False),
    sa.Column('taken_by_organization_id', sa.Uuid(), nullable=True),
    sa.Column('taken_by_account_id', sa.Uuid(), nullable=True),
    sa.Column('referral_id', sa.Uuid(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signaller_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('neighbourhood_id IS NOT NULL OR postcode_id IS NOT NULL', name=op.f('ck_signal_place')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_signal_neighbourhood_id_neighbourhood')),
    sa.ForeignKeyConstraint(['postcode_id'], ['postcode.id'], name=op.f('fk_signal_postcode_id_postcode')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_signal_referral_id_referral'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taken_by_account_id'], ['account.id'], name=op.f('fk_signal_taken_by_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taken_by_organization_id'], ['organization.id'], name=op.f('fk_signal_taken_by_organization_id_organization'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_signal_submission_key'))
    )
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_taken_by_organization_id'), ['taken_by_organization_id'], unique=False)

    op.create_table('signal_event',
    sa.Column('signal_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.Enum('new', 'taken_up', 'contacted', 'handed_over', 'closed', 'unreachable', name='from_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('new', 'taken_up', 'contacted', 'handed_over', 'closed', 'unreachable', name='to_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('actor_account_id', sa.Uuid(), nullable=True),
    sa.Column('forwarded_to_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['account.id'], name=op.f('fk_signal_event_actor_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['forwarded_to_id'], ['organization.id'], name=op.f('fk_signal_event_forwarded_to_id_organization'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signal_id'], ['signal.id'], name=op.f('fk_signal_event_signal_id_signal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_event'))
    )
    with op.batch_alter_table('signal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_event_signal_id'), ['signal_id'], unique=False)

    op.create_table('signal_route',
    sa.Column('signal_id', sa.Uuid(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_signal_route_organization_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signal_id'], ['signal.id'], name=op.f('fk_signal_route_signal_id_signal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signal_id', 'organization_id', name=op.f('pk_signal_route'))
    )
    with op.batch_alter_table('signal_route', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_route_organization_id'), ['organization_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signal_route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_route_organization_id'))

    op.drop_table('signal_route')
    with op.batch_alter_table('signal_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_event_signal_id'))

    op.drop_table('signal_event')
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_taken_by_organization_id'))
        batch_op.drop_index(batch_op.f('ix_signal_created_at'))
        batch_op.drop_index(batch_op.f('ix_signal_closed_at'))

    op.drop_table('signal')
    with op.batch_alter_table('signal_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_area_organization_id'))

    op.drop_table('signal_area')
    with op.batch_alter_table('signal_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_access_signal_id'))
        batch_op.drop_index(batch_op.f('ix_signal_access_created_at'))
        batch_op.drop_index(batch_op.f('ix_signal_access_account_id'))

    op.drop_table('signal_access')
