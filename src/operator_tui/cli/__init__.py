"""The ``operator-tui`` command line: thin Typer commands over the services."""
