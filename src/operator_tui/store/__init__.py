"""Persistence: SQLModel tables, the engine factory (SQLite in WAL, or any SQLAlchemy URL), Alembic migrations.

The store holds data and the queries that need an index next to them; it makes no decisions (those are ``core``)
and opens no transactions on its own initiative (those are ``services``).
"""
