"""Keys out of the database: contest_keys keeps only each contest's public key.

Revision ID: 0003_keys
Revises: 0002_web_access
Create Date: 2026-12-02 12:00:00

The Ed25519 signing seed and the credential HMAC key were stored in ``contest_keys`` beside
the data they protect (issue 10, item 26). The signing key now lives in the returning
officer's passphrase-protected key file, and credential keys are derived from the server
secret file. This revision keeps each contest's public key and drops both secret columns.

A contest that is not yet declared cannot continue without its old keys: its credentials
were made with the stored credential key, and it has no signed checkpoints. The upgrade then
refuses, changes nothing, and names those contests: declare them (or delete them) with the
previous version first. Declared contests need no secret any more; their public key is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mandate.crypto import public_key_hex
from mandate.errors import ConfigError

revision: str = "0003_keys"
down_revision: str | None = "0002_web_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (or refuse, changing nothing, while a contest still runs)."""
    conn = op.get_bind()
    running = conn.execute(
        sa.text(
            "SELECT c.id, c.state FROM contests c JOIN contest_keys k ON k.contest_id = c.id "
            "WHERE c.state <> 'declared' ORDER BY c.id"
        )
    ).all()
    if running:
        names = ", ".join(f"{row.id} ({row.state.replace('_', ' ')})" for row in running)
        raise ConfigError(
            "this database keeps contest secrets in contest_keys, and these contests are not "
            f"declared yet: {names}. This version keeps no secret in the database (issue 10, "
            "item 26): declare or delete those contests with the previous version of mandate, "
            "then upgrade (docs/contests.md, 'Upgrading a database with stored keys'). "
            "Nothing was changed."
        )
    with op.batch_alter_table("contest_keys") as batch:
        batch.add_column(sa.Column("public_key", sa.String(length=64), nullable=True))
    for row in conn.execute(sa.text("SELECT contest_id, signing_seed FROM contest_keys")).all():
        conn.execute(
            sa.text("UPDATE contest_keys SET public_key = :key WHERE contest_id = :id"),
            {"key": public_key_hex(bytes(row.signing_seed)), "id": row.contest_id},
        )
    with op.batch_alter_table("contest_keys") as batch:
        batch.alter_column("public_key", existing_type=sa.String(length=64), nullable=False)
        batch.drop_column("signing_seed")
        batch.drop_column("credential_key")


def downgrade() -> None:
    """Not possible: the secrets are no longer in the database to put back."""
    raise ConfigError("0003_keys cannot be undone: the secrets it dropped are not kept")
