"""The pure domain: playbook models and validation, lifecycle rules, calling windows, scoring math.

Nothing here performs I/O or imports Textual, SQLAlchemy or another layer of this package, so every rule can be
tested as a plain function and reused by the CLI, the TUI and the benchmarks alike.
"""
