"""PIN hashing with a slow KDF (scrypt from the standard library) and the lockout rule.

PINs are short, so the hash must be slow and salted: scrypt at n=2**12, r=8, p=5 costs ~35 ms per try, and the
lockout stops guessing online. Its memory is 4 MiB (n=2**14, p=1 took as long with 16 MiB): with 10,000 four-digit
PINs, a memory-hard hash buys nothing against offline guessing (the whole space is cheap either way), while
16 MiB at every sign-in was a sixth of the console's memory. The stored form is self-describing
(``scrypt$n$r$p$salt$hash``): old hashes still verify, and ``needs_rehash`` tells the sign-in to store the PIN
again with today's parameters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
from datetime import datetime, timedelta

MAX_FAILED_PINS = 10
LOCKOUT = timedelta(minutes=15)
COST_N, _R, _P = 2**12, 8, 5  # scrypt n (the cost a test may lower), r, p
MIN_PIN, MAX_PIN = 4, 12


def validate_pin(pin: str) -> None:
    """A PIN is 4 to 12 digits; raise ValueError otherwise."""
    if not pin.isdigit() or not (MIN_PIN <= len(pin) <= MAX_PIN):
        raise ValueError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits")


def guessable(pin: str) -> bool:
    """Whether ``pin`` is among the first anyone tries: a straight run up or down (1234, 9876, 7890) or a block
    repeated (1111, 1212, 123123). Allowed, since a lock-out follows ten wrong tries, but worth a second thought
    where a PIN is set."""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return True
    return any(pin == pin[:size] * (len(pin) // size) for size in range(1, len(pin) // 2 + 1))


def hash_pin(pin: str, *, n: int = COST_N) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(n), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
    )
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than a new hash would be."""
    return not stored.startswith(f"scrypt${COST_N}${_R}${_P}$")


def lockout_after_failure(failed_pins: int, now: datetime) -> datetime | None:
    """The lock's end if this many consecutive failures must lock the account, else None."""
    return now + LOCKOUT if failed_pins >= MAX_FAILED_PINS else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
