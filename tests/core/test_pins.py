"""PINs anyone tries first: said where a PIN is set (core.pins.guessable)."""

from __future__ import annotations

import pytest

from operator_tui.core.pins import guessable


@pytest.mark.parametrize("pin", ["1111", "0000", "1234", "4321", "7890", "0123456789", "9876", "1212", "123123"])
def test_the_pins_tried_first_are_guessable(pin: str) -> None:
    assert guessable(pin)


@pytest.mark.parametrize("pin", ["1357", "2468", "5831", "1123", "2580", "12312", "9900"])
def test_other_pins_are_not(pin: str) -> None:
    assert not guessable(pin)
