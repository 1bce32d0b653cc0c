import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core.nps import summarize
from operator_tui.core.playbook.models import Checklist
from operator_tui.core.qa_score import NA, ScoreError, score_review
from operator_tui.core.value import abc_tiers, quintiles

CHECKLIST = Checklist.model_validate(
    {
        "id": "c",
        "sections": [
            {
                "name": "Greeting",
                "weight": 1,
                "items": [{"id": "name", "text": "t"}, {"id": "check", "text": "t"}],
            },
            {
                "name": "Offer",
                "weight": 2,
                "items": [
                    {"id": "needs", "text": "t", "scale": [0, 2], "weight": 2},
                    {"id": "tone", "text": "t", "scale": [1, 5]},
                ],
            },
            {
                "name": "Compliance",
                "weight": 2,
                "items": [{"id": "consent", "text": "t", "critical": True, "na": False}],
            },
        ],
    }
)


def test_hand_computed_score():
    # Greeting: (100 + 0) / 2 = 50. Offer: (2 * 50 + 1 * 75) / 3 = 58.33. Compliance: 100.
    # Weighted: (1 * 50 + 2 * 58.333 + 2 * 100) / 5 = 73.33
    result = score_review(CHECKLIST, {"name": 1, "check": 0, "needs": 1, "tone": 4, "consent": 1})
    assert result.score == 73.33
    assert not result.critical_failed


def test_na_leaves_the_denominator():
    result = score_review(CHECKLIST, {"name": 1, "check": NA, "needs": 2, "tone": 5, "consent": 1})
    assert result.score == 100.0


def test_a_failed_critical_item_zeroes_the_review():
    result = score_review(CHECKLIST, {"name": 1, "check": 1, "needs": 2, "tone": 5, "consent": 0})
    assert (result.score, result.critical_failed) == (0.0, True)


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"tone": 6}, "off its scale 1..5"),
        ({"consent": NA}, "cannot be marked N/A"),
        ({"nope": 1}, "unknown"),
    ],
)
def test_bad_marks(marks, message):
    with pytest.raises(ScoreError, match=message):
        score_review(CHECKLIST, marks)


def test_unanswered_items_are_listed():
    assert score_review(CHECKLIST, {"name": 1}).unanswered == ("check", "needs", "tone", "consent")


marks = st.fixed_dictionaries(
    {
        "name": st.sampled_from([0, 1, NA]),
        "check": st.sampled_from([0, 1, NA]),
        "needs": st.sampled_from([0, 1, 2, NA]),
        "tone": st.sampled_from([1, 2, 3, 4, 5, NA]),
        "consent": st.sampled_from([0, 1]),
    }
)


@given(marks)
def test_score_is_within_0_and_100_and_critical_failure_always_zeroes(m):
    result = score_review(CHECKLIST, m)
    assert result.score is not None and 0 <= result.score <= 100
    assert (m["consent"] == 0) == result.critical_failed
    if result.critical_failed:
        assert result.score == 0


@given(st.lists(st.integers(0, 10), max_size=200))
def test_nps_is_always_within_bounds(scores):
    summary = summarize(scores)
    assert summary.responses == len(scores)
    assert summary.nps is None if not scores else -100 <= summary.nps <= 100


def test_nps_hand_computed():
    assert summarize([10, 9, 8, 7, 6, 0]).nps == 0.0
    assert summarize([10, 10, 10, 3]).nps == 50.0


def test_abc_tiers_follow_80_95():
    assert abc_tiers([100, 50, 30, 10, 5, 3, 2, 0]) == ["A", "A", "A", "B", "C", "C", "C", "C"]


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=100))
def test_abc_tiers_are_monotonic_in_revenue(revenues):
    tiers = abc_tiers(revenues)
    rank = {"A": 0, "B": 1, "C": 2}
    for i, a in enumerate(revenues):
        for j, b in enumerate(revenues):
            if a > b:
                assert rank[tiers[i]] <= rank[tiers[j]]


def test_quintiles():
    assert quintiles(list(range(1, 11))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quintiles([10, 1, 5], higher_is_better=False) == [1, 4, 2]
    assert quintiles([5, 5, 5, 1, None]) == [2, 2, 2, 1, 0]


def test_churn_risk_hand_computed():
    from operator_tui.core.value import churn_risk

    # recency 365/365 = 1 -> .35; decline (4 - 1) / 4 = .75 -> .1875; detractor -> .2; 1 complaint -> .05;
    # 3 failed attempts -> .05. Sum .8375.
    assert (
        churn_risk(
            days_since_last_purchase=400,
            purchases_recent=1,
            purchases_before=4,
            last_nps=3,
            open_complaints=1,
            failed_attempts=3,
        )
        == 0.8375
    )
    assert (
        churn_risk(
            days_since_last_purchase=0,
            purchases_recent=5,
            purchases_before=2,
            last_nps=10,
            open_complaints=0,
            failed_attempts=0,
        )
        == 0.0
    )


def test_upsell_peaks_when_the_next_purchase_is_due():
    from operator_tui.core.value import upsell_propensity

    def score(days: float) -> float:
        return upsell_propensity(purchases=5, days_since_last_purchase=days, span_days=120, categories=3)

    assert score(30) > score(5) and score(30) > score(90)  # mean interval 30 days
    assert upsell_propensity(purchases=0, days_since_last_purchase=None, span_days=0, categories=0) == 0.0


@given(
    st.floats(0, 2000),
    st.integers(0, 50),
    st.integers(0, 50),
    st.one_of(st.none(), st.integers(0, 10)),
    st.integers(0, 9),
    st.integers(0, 20),
)
def test_churn_risk_is_within_0_and_1(days, recent, before, nps, complaints, failed):
    from operator_tui.core.value import churn_risk

    assert (
        0
        <= churn_risk(
            days_since_last_purchase=days,
            purchases_recent=recent,
            purchases_before=before,
            last_nps=nps,
            open_complaints=complaints,
            failed_attempts=failed,
        )
        <= 1
    )
