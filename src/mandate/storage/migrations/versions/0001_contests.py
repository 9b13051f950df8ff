"""Contests: rulebook, lifecycle, candidates, roll, credentials, ballots, results, audit log.

Revision ID: 0001_contests
Revises: (none; the first revision)
Create Date: 2026-11-23 17:41:21.998026
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_contests"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # the chain's head starts at the genesis hash (64 zeros); every append moves it on
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contest_id", sa.String(length=100), nullable=True),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "contests",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rulebook_ref", sa.String(length=500), nullable=False),
        sa.Column("rulebook_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("count_spec", sa.Text(), nullable=False),
        sa.Column("voter_classes", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contests")),
    )
    op.create_table(
        "ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("tracker", sa.String(length=40), nullable=False),
        sa.Column("voter_class", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.String(length=32), nullable=True),
        sa.Column("ranking", sa.Text(), nullable=False),
        sa.Column("cast_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_ballots_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("tracker", name=op.f("uq_ballots_tracker")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_ballots_contest", "ballots", ["contest_id"], unique=False)
    op.create_table(
        "candidates",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("nominations", sa.Integer(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_candidates_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contest_id", "candidate_id", name=op.f("pk_candidates")),
    )
    op.create_table(
        "contest_keys",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("signing_seed", sa.LargeBinary(length=32), nullable=False),
        sa.Column("credential_key", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_contest_keys_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contest_id", name=op.f("pk_contest_keys")),
    )
    op.create_table(
        "electors",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("member_id", sa.String(length=100), nullable=False),
        sa.Column("voter_class", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("credential_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("voted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_electors_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contest_id", "member_id", name=op.f("pk_electors")),
        sa.UniqueConstraint("contest_id", "credential_hash", name="uq_electors_credential"),
    )
    op.create_index(
        "ix_electors_contest_class", "electors", ["contest_id", "voter_class"], unique=False
    )
    op.create_table(
        "paper_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("voter_class", sa.String(length=100), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("spoilt", sa.Integer(), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_paper_batches_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_batches")),
    )
    op.create_table(
        "results",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_results_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contest_id", "scope", name=op.f("pk_results")),
    )
    op.create_table(
        "roll_exclusions",
        sa.Column("contest_id", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.String(length=100), nullable=False),
        sa.Column("voter_class", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clause", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contests.id"],
            name=op.f("fk_roll_exclusions_contest_id_contests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contest_id", "seq", name=op.f("pk_roll_exclusions")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("roll_exclusions")
    op.drop_table("results")
    op.drop_table("paper_batches")
    op.drop_index("ix_electors_contest_class", table_name="electors")
    op.drop_table("electors")
    op.drop_table("contest_keys")
    op.drop_table("candidates")
    op.drop_index("ix_ballots_contest", table_name="ballots")
    op.drop_table("ballots")
    op.drop_table("contests")
    op.drop_table("audit_log")
    op.drop_table("audit_head")
