"""Playbooks shipped with the package: the default one built from the seeds, and two examples.

- ``default.yaml``: contact -> acquisition -> conversion -> retention -> loyalty, plus churned and disqualified.
- ``service-company.yaml``: a service company's cycle (attraction, onboarding, service, upsell, retention).
- ``buttle.yaml``: Francis Buttle's five relationship stages (awareness ... dissolution).
"""

from pathlib import Path

PLAYBOOK_DIR = Path(__file__).parent
DEFAULT_PLAYBOOK = PLAYBOOK_DIR / "default.yaml"
EXAMPLES = {p.stem: p for p in sorted(PLAYBOOK_DIR.glob("*.yaml"))}
