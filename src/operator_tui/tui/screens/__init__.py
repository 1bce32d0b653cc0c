"""The app's screens. Nothing is imported here: the sign-in screen must load without the others (``tui.app``)."""
