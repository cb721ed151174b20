"""signals closed when idle: the status 'idle' (closed by `flask signals purge` after
SIGNAL_IDLE_DAYS without a step), when the reminder before it went out, and the signaller's
contact erased on signals closed already

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OLD_STATUSES = "'new', 'taken_up', 'contacted', 'handed_over', 'closed', 'unreachable'"
NEW_STATUSES = OLD_STATUSES + ", 'idle'"
CLOSED = "'handed_over', 'closed', 'unreachable'"


def upgrade() -> None:
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idle_reminded_at', sa.DateTime(timezone=True), nullable=True))
    _statuses(NEW_STATUSES)
    # The signaller's contact is needed only while a signal is open.
    op.execute(
        "UPDATE signal SET signaller_email = NULL, signaller_phone = NULL "
        f"WHERE status IN ({CLOSED})"
    )


def downgrade() -> None:
    # Before 0008 a signal closed as idle was one closed without an outcome.
    op.execute("UPDATE signal SET status = 'closed' WHERE status = 'idle'")
    op.execute("UPDATE signal_event SET from_status = 'closed' WHERE from_status = 'idle'")
    op.execute("UPDATE signal_event SET to_status = 'closed' WHERE to_status = 'idle'")
    _statuses(OLD_STATUSES)
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('idle_reminded_at')


def _statuses(values: str) -> None:
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_signal_status'), type_='check')
        batch_op.create_check_constraint('status', f'status IN ({values})')
    with op.batch_alter_table('signal_event', schema=None) as batch_op:
        for column in ('from_status', 'to_status'):
            batch_op.drop_constraint(op.f(f'ck_signal_event_{column}'), type_='check')
            batch_op.create_check_constraint(column, f'{column} IN ({values})')
