"""The throwaway PostgreSQL cluster really runs and answers SQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.mark.postgres
def test_postgres_cluster_answers_queries(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select 40 + 2")).scalar_one() == 42
        version = conn.execute(sa.text("show server_version")).scalar_one()
    engine.dispose()
    assert str(version).split(".")[0].isdigit()


def test_database_url_fixture_gives_working_databases(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("create table t (x integer)"))
        conn.execute(sa.text("insert into t values (1), (2)"))
        assert conn.execute(sa.text("select sum(x) from t")).scalar_one() == 3
    engine.dispose()
