"""Fill ``{customer.first_name}``-style placeholders in script texts; an unknown one stays visible as written.

The playbook check refuses unknown placeholders, so at run time a missing value is data (an empty first name),
shown as the placeholder itself rather than silently as nothing, so the operator notices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or m.group(0), text)
