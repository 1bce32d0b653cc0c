"""The app's text field: Textual's Input, whose editing keys take effect in the order they were typed.

Textual inserts a typed character as soon as the field gets the key, but runs the field's own bindings (Backspace,
Ctrl+U, Enter, the arrows) only once the key has bubbled up to the app, by when the keys behind it in the same
burst may have been inserted already. Typed quickly, or arriving together over a slow SSH link,
"abcx<Backspace>d" became "abcx", and "<Ctrl+U>09.12 11:00<Enter>" an empty field submitted. Here the field runs
its own bindings when it gets the key, in turn with the characters. (Making them priority bindings is no cure: the
app then runs them before the field has inserted the characters typed before them.) Precedence stays as it was:
the app's and the screen's priority keys never reach the field, and its own keys came before the screen's others
while it has the focus.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.widgets import Input


@cache
def _editing_actions(field: type[Input]) -> frozenset[str]:
    """The actions of the bindings Input and its subclasses declare (not the scrolling ones every widget has)."""
    actions: set[str] = set()
    for cls in field.__mro__[: field.__mro__.index(Input) + 1]:
        for binding in cls.__dict__.get("BINDINGS", ()):
            actions.add(binding.action if isinstance(binding, Binding) else binding[1])
    return frozenset(actions)


class Field(Input):
    async def _on_key(self, event: events.Key) -> None:
        editing = _editing_actions(type(self))
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and binding.action in editing:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return
        await super()._on_key(event)
