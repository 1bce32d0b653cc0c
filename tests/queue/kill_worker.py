"""A worker for the SIGKILL test: claims and records forever, logging each attempt before and after it saves.

Run as ``python -m tests.queue.kill_worker DB_URL USER_ID LOG``; the test kills it with SIGKILL at random moments.
"""

import os
import random
import sys
import uuid
from pathlib import Path

from operator_tui.core.playbook import OutcomeFlag
from operator_tui.core.roles import Role
from operator_tui.services import calls, queue
from operator_tui.services.bench import sample_answers
from operator_tui.services.context import Actor
from operator_tui.services.database import open_database
from operator_tui.services.runtime import runtime


def main() -> None:
    url, user_id, log_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    db = open_database(url)
    actor = Actor(user_id=user_id, login=f"bench{user_id}", role=Role.OPERATOR)
    pb = runtime(db).playbook
    rng = random.Random(os.getpid())
    with Path(log_path).open("a", buffering=1) as log:
        while True:
            try:
                claim = queue.next_customer(db, actor)
            except queue.QueueEmpty:
                continue
            strategy = pb.strategy(claim.strategy_id)
            offered = [
                o
                for o in pb.outcomes
                if (strategy.outcomes is None or o.code in strategy.outcomes) and OutcomeFlag.CALLBACK not in o.flags
            ]
            outcome = rng.choice(offered)
            answers = sample_answers(pb.script(strategy.script), rng) if OutcomeFlag.SUCCESS in outcome.flags else {}
            attempt = str(uuid.uuid4())
            log.write(f"claim {claim.customer_id} {attempt} {len(answers)}\n")
            os.fsync(log.fileno())
            calls.record_outcome(db, actor, calls.OutcomeInput.for_claim(claim, attempt, outcome.code, answers=answers))
            log.write(f"saved {claim.customer_id} {attempt} {len(answers)}\n")
            os.fsync(log.fileno())


if __name__ == "__main__":
    main()
