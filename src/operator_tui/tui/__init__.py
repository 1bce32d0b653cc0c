"""The Textual front end: screens, widgets, styles and keys for operators, supervisors and admins.

It talks to ``operator_tui.services`` only, and only from thread workers that post a message back: the UI thread
never waits on the database. It must never import the store, SQLAlchemy, SQLModel or Alembic (import-linter
checks this).
"""
