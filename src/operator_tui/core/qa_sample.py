"""The monthly review sample: a few calls per operator, spread over outcomes, the same every time it is drawn.

Seed 000: a QA group listens to a monthly sample of every operator's calls. Stratifying by outcome keeps a month of
no-answers from crowding out the conversations worth reviewing: each outcome gets a share of the operator's
sample in proportion to its calls (largest remainders), and every outcome with calls gets at least one while the
sample has room, rarest first. The draw is seeded with the plan's seed, the operator and the month, so drawing
again gives the same calls.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Call:
    interaction_id: int
    operator_id: int
    outcome: str


def allocate(counts: dict[str, int], size: int) -> dict[str, int]:
    """How many calls of each outcome to draw: at least one of each while room lasts, then by share."""
    size = min(size, sum(counts.values()))
    take = dict.fromkeys(counts, 0)
    for outcome in sorted(counts, key=lambda o: (counts[o], o))[:size]:  # rarest outcomes first get one each
        take[outcome] = 1
    left = size - sum(take.values())
    if left <= 0:
        return take
    room = {o: counts[o] - take[o] for o in counts}
    total = sum(room.values())
    shares = {o: left * room[o] / total for o in counts} if total else {}
    for outcome, share in shares.items():
        take[outcome] += min(int(share), room[outcome])
    remainder = size - sum(take.values())
    for outcome in sorted(shares, key=lambda o: (-(shares[o] - int(shares[o])), o)):
        if remainder <= 0:
            break
        if take[outcome] < counts[outcome]:
            take[outcome] += 1
            remainder -= 1
    return take


def draw(calls: Iterable[Call], per_operator: int, seed: int, month: str) -> dict[int, list[int]]:
    """Interaction ids to review, per operator."""
    by_operator: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for call in calls:
        by_operator[call.operator_id][call.outcome].append(call.interaction_id)
    chosen: dict[int, list[int]] = {}
    for operator, by_outcome in sorted(by_operator.items()):
        digest = hashlib.sha256(f"{seed}:{operator}:{month}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        plan = allocate({o: len(ids) for o, ids in by_outcome.items()}, per_operator)
        picked: list[int] = []
        for outcome in sorted(by_outcome):
            picked += rng.sample(sorted(by_outcome[outcome]), plan[outcome])
        chosen[operator] = sorted(picked)
    return chosen
