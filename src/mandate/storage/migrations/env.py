"""Alembic environment: runs the revisions on the connection mandate hands over.

mandate runs migrations itself (:func:`mandate.storage.sql.migrate`), passing an open
connection in ``config.attributes["connection"]``; there is no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context

from mandate.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
