"""places and ways in: confidential locations, accessibility features, imported listings

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:10:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_PROVENANCE = "'source_documents', 'organization', 'coordinator', 'synthetic'"
NEW_PROVENANCE = OLD_PROVENANCE + ", 'imported'"


def upgrade() -> None:
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_confidential', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        for name in ('step_free', 'lift', 'accessible_toilet', 'hearing_loop'):
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('municipality_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_location_municipality_id_municipality'),
            'municipality', ['municipality_id'], ['id'],
        )
    _provenance(NEW_PROVENANCE)
    # Other maps describe how people attend in a sentence, not a code.
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.alter_column(
            'attending_type', existing_type=sa.String(length=40), type_=sa.Text()
        )


def downgrade() -> None:
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.alter_column(
            'attending_type', existing_type=sa.Text(), type_=sa.String(length=40)
        )
    _provenance(OLD_PROVENANCE)
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_location_municipality_id_municipality'), type_='foreignkey'
        )
        batch_op.drop_column('municipality_id')
        for name in ('hearing_loop', 'accessible_toilet', 'lift', 'step_free', 'is_confidential'):
            batch_op.drop_column(name)


def _provenance(values: str) -> None:
    for table in ('organization', 'service'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_provenance'), type_='check')
            batch_op.create_check_constraint('provenance', f'provenance IN ({values})')
