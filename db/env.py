"""Alembic environment: always run programmatically by ``sencodesk.migrate.upgrade``.

The app passes its open connection in ``config.attributes["connection"]``. No ``fileConfig``:
the app's logging is not Alembic's to change.
"""

from alembic import context

from sencodesk.model import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic revision` from a developer shell
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://").connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
