"""A console works hundreds of calls a day: nothing of a closed call screen may stay behind in memory.

Two retainers were found with ``operator-tui bench ui`` (RSS grew by about a megabyte per call): Textual's
``Header`` watches the app's title, and the watch held every closed screen's header (and with it the screen); and
Textual's ``StylesCache.get_inner_outer`` is an lru_cache on an instance method, whose keys held closed widgets'
drawn lines. These tests pin both, without timing anything.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache

from operator_tui.services.database import Database
from tests.tui.console import SMALL, console_app, nps_customers, signed_in


def _app_watchers(app: object) -> int:
    return sum(len(callbacks) for callbacks in getattr(app, "__watchers", {}).values())


async def test_closed_call_screens_leave_no_watchers_or_cached_styles_behind(db: Database) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        watching = _app_watchers(app)
        for _ in range(3):
            await keys("n", "x")
            await pilot.press(*"busy")
            await keys("enter")
            assert _app_watchers(app) == watching  # no closed screen is still watching the app
            assert StylesCache.get_inner_outer.cache_info().currsize <= 64  # cleared when the call closed
