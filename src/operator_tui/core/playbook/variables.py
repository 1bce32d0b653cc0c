"""The names a playbook expression may read, so a typo is caught when the playbook is checked, not mid-call.

Strategy conditions see the customer; script branches see the customer plus ``answer`` (the question just
answered) and ``answers.<node id>`` (any earlier answer). Placeholders in script texts (``{customer.first_name}``)
use the customer names with a ``customer.`` prefix.
"""

from __future__ import annotations

CUSTOMER_VARIABLES: dict[str, str] = {
    "stage": "the customer's lifecycle stage id",
    "segment": "the customer's segment (free text from the import, e.g. b2c, vip)",
    "value_tier": "A, B or C by share of revenue (80/15/5 %)",
    "rfm_r": "recency quintile 1..5 (5 = bought most recently)",
    "rfm_f": "frequency quintile 1..5",
    "rfm_m": "monetary quintile 1..5",
    "churn_risk": "0..1, higher = more likely to leave",
    "upsell_propensity": "0..1, higher = more likely to buy again soon",
    "purchases_count": "number of purchases",
    "revenue_total": "sum of purchase amounts",
    "days_since_last_purchase": "days since the last purchase (none = never bought)",
    "days_since_last_contact": "days since the last reached call (none = never reached)",
    "days_in_stage": "days since the customer entered the current stage",
    "last_nps": "the last NPS answer 0..10 (none = never asked)",
    "attempts_total": "call attempts so far in this strategy",
    "consent": "true if the customer consented to calls",
    "city": "city",
    "region": "region or state",
    "country": "ISO country code from the phone number",
    "source": "lead source (e.g. a VICIdial source_code)",
}

PLACEHOLDER_FIELDS: frozenset[str] = frozenset(
    {f"customer.{n}" for n in CUSTOMER_VARIABLES}
    | {
        "customer.first_name",
        "customer.last_name",
        "customer.middle_name",
        "customer.full_name",
        "customer.title",
        "customer.email",
        "customer.phone",
        "operator.name",
        "operator.first_name",
        "company.name",
        "greeting",  # Good morning / afternoon / evening by the customer's hour (core.greetings)
    }
)

ANSWER = "answer"
ANSWERS_PREFIX = "answers."
