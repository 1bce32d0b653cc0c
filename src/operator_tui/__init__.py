"""operator-tui: terminal software for contact centers.

Layers, in the one direction dependencies may point (enforced by import-linter):
``core`` (pure domain) <- ``store`` (tables, engine, migrations) <- ``services`` (use-cases, transactions,
role checks) <- ``cli`` / ``tui`` (thin front ends).
"""

__version__ = "0.1.0"
