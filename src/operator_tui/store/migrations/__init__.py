"""Alembic migrations, shipped inside the package so `operator-tui db upgrade` works from any install."""
