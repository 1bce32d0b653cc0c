"""Allow ``python -m operator_tui``."""

from operator_tui.cli.launch import main

main()
