"""The bar of keys at the bottom of every screen: one line of text instead of Textual's ``Footer``.

``Footer`` builds one widget per key and builds them all again on every change of the screen's bindings (focus
moves, an action turns on or off, a screen comes back); on the operator's hot path, "next customer", that was a
fifth of the time from the key to the card on screen (measured with ``operator-tui bench ui``). This bar renders the
same keys as one line of styled text, keeps a key clickable (a click presses the key), and redraws only when the
text changed. Descriptions are written in English (marked with ``N_``) and translated here, when they are shown.
"""

from __future__ import annotations

from collections import defaultdict

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from operator_tui.tui.i18n import _

MORE = " …"  # after the keys that fit: F1 lists every one
HELP, SIGN_OUT = "help", "logout"
"""The actions whose key stays on a bar too narrow for all: help first (it lists the rest), signing out last (a shift
ends on a home screen, and nobody should have to look it up). A screen where signing out is not what one does
next (a call) leaves it to F1 with ``KEY_BAR_SIGN_OUT = False``, so its own keys have the room."""


class KeyBar(Static):
    """The screen's keys: ``key description`` pairs, a disabled one dimmed, the command palette's key at the end."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        link-style: none;
        link-color: $footer-foreground;
        link-background: $footer-background;
        link-style-hover: reverse;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: Content | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        content = self.keys_content()
        if self._shown is None or not content.is_same(self._shown):  # == compares the text alone, not a key greyed
            self._shown = content
            self.update(content)

    def keys_content(self) -> Content:
        """One entry per action (the first of its keys), in the order Textual ranks the screen's bindings."""
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        palette = None
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.action == "command_palette":
                palette = (binding, enabled)
            elif binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        entries = [(binding, enabled) for (binding, enabled, _), *_ in by_action.values()]
        parts = [self._entry(binding, enabled) for binding, enabled in entries]
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            parts.append(self._entry(palette[0], palette[1], description=_("Commands")))
        content = Content(" ").join(parts)
        width = self.size.width
        if width and content.cell_length > width:
            # The help key, the screen's keys as far as they fit, "…" for the rest, and the sign-out key.
            actions = [binding.action for binding, _ in entries] + [""] * (len(parts) - len(entries))
            placed = {HELP, SIGN_OUT} if getattr(self.screen, "KEY_BAR_SIGN_OUT", True) else {HELP}
            kept = [part for part, action in zip(parts, actions, strict=True) if action == HELP]
            last = [part for part, action in zip(parts, actions, strict=True) if action in placed - {HELP}]
            for part, action in zip(parts, actions, strict=True):
                if action in placed:
                    continue
                if Content(" ").join([*kept, part, *last]).cell_length + len(MORE) + bool(last) > width:
                    break
                kept.append(part)
            content = Content(" ").join(kept) + MORE
            if last:
                content += Content(" ") + Content(" ").join(last)
        return content

    def _entry(self, binding: Binding, enabled: bool, description: str | None = None) -> Content:
        key = self.app.get_key_display(binding)
        text = Content.assemble(
            (f" {key} ", "bold $footer-key-foreground" if enabled else "$text-disabled"),
            (f"{description or _(binding.description)} ", "" if enabled else "$text-disabled"),
        )
        return text.stylize(f"@click=app.simulate_key({binding.key.split(',')[0]!r})") if enabled else text
