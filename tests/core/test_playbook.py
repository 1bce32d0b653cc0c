"""The playbook refuses every broken part with a path, and accepts what the package ships."""

from pathlib import Path

import pytest
import yaml

from operator_tui.core.playbook import PlaybookError, parse_playbook, playbook_from_data
from operator_tui.playbooks import DEFAULT_PLAYBOOK, EXAMPLES

MINIMAL = """
stages: [contact, retention, {id: churned, terminal: true}]
outcomes:
  - {code: SALE, label: Sale, flags: [reached, success], advance: {contact: retention}}
  - {code: NOANSWER, label: No answer, retry: {after: 2h, max: 6}}
strategies:
  - {id: first, stage: contact, script: s, window: wh}
  - {id: keep, stage: retention, script: s, window: wh}
scripts:
  - id: s
    nodes:
      - {id: hello, say: "Hello {customer.first_name}", next: nps}
      - {id: nps, ask: "0 to 10?", type: nps, required: true, next: [{when: "answer <= 6", goto: why}, {goto: bye}]}
      - {id: why, ask: "Why?", type: text, next: bye}
      - {id: bye, say: "Bye", end: true}
checklists:
  - id: c
    sections:
      - {name: Greeting, weight: 1, items: [{id: name, text: Said name}]}
windows: {wh: {mon-fri: "09:00-20:00"}}
"""


def data() -> dict:
    return yaml.safe_load(MINIMAL)


def problems(d: dict) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        playbook_from_data(d)
    return [str(p) for p in caught.value.problems]


def test_minimal_playbook_is_valid_and_default_transitions_apply():
    pb = playbook_from_data(data())
    assert pb.allowed("contact", "retention")
    assert pb.allowed("retention", "churned")
    assert not pb.allowed("contact", "nowhere")


@pytest.mark.parametrize("path", [DEFAULT_PLAYBOOK, *EXAMPLES.values()], ids=lambda p: Path(p).stem)
def test_shipped_playbooks_pass_every_check(path):
    pb = parse_playbook(Path(path).read_text(encoding="utf-8"))
    working = {s.id for s in pb.stages if not s.terminal}
    assert working <= {stage for s in pb.strategies for stage in s.stage}
    assert len(pb.checklists) >= 2
    for text in (pb.stages[0].label, pb.scripts[0].nodes[0].say):
        assert text is not None and {"en", "ru"} <= set(text)


def test_default_playbook_has_the_seed_lifecycle():
    pb = parse_playbook(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
    assert pb.stage_ids() == [
        "contact",
        "acquisition",
        "conversion",
        "retention",
        "loyalty",
        "churned",
        "disqualified",
    ]
    assert all(pb.allowed(stage, "churned") for stage in pb.stage_ids() if stage != "churned")
    assert {
        "first-contact",
        "acquisition-offer",
        "onboarding",
        "retention-nps",
        "win-back",
        "loyalty-referral",
    } <= {s.id for s in pb.strategies}


def test_bad_yaml_names_line_and_column():
    with pytest.raises(PlaybookError, match=r"line 2, column \d+: not valid YAML"):
        parse_playbook("stages: [a,\nb: 2")


def test_duplicate_keys_are_refused():
    with pytest.raises(PlaybookError, match="duplicate key 'stages'"):
        parse_playbook("stages: [a]\nstages: [b]\n")


def test_unknown_stage_in_a_transition():
    d = data()
    d["transitions"] = [{"from": "contact", "to": "retention"}, {"from": "retnetion", "to": "churned"}]
    assert any(p.startswith("transitions[1].from[0]: unknown stage 'retnetion'") for p in problems(d))


def test_a_script_node_that_points_nowhere():
    d = data()
    d["scripts"][0]["nodes"][0]["next"] = "nsp"
    found = problems(d)
    assert "scripts[0].nodes[0].next[0].goto: unknown node 'nsp' (known: bye, hello, nps, why)" in found


def test_a_checklist_weight_of_zero():
    d = data()
    d["checklists"][0]["sections"][0]["weight"] = 0
    assert problems(d) == ["checklists[0].sections[0].weight: Input should be greater than 0"]


def test_a_bad_duration_has_the_path_of_the_design_example():
    d = data()
    d["outcomes"][1]["retry"]["after"] = "soon"
    assert problems(d) == ["outcomes[1].retry.after: expected a duration like 2h, 30m, 1d12h or 90d"]


def test_every_cross_reference_problem_is_listed_at_once():
    d = data()
    d["strategies"][0]["script"] = "missing"
    d["strategies"][1]["window"] = "never"
    d["strategies"][1]["when"] = "days_since_purchase > 3"
    d["outcomes"][0]["advance"] = {"contact": "churned", "churned": "contact"}
    found = problems(d)
    assert any(p.startswith("strategies[0].script: unknown script 'missing'") for p in found)
    assert any(p.startswith("strategies[1].window: unknown window 'never'") for p in found)
    assert any(p.startswith("strategies[1].when: unknown name 'days_since_purchase'") for p in found)
    assert "outcomes[0].advance.churned: the lifecycle has no transition churned -> contact" in found


def test_an_item_that_does_not_validate_leaves_the_references_of_the_rest_checked():
    """One check lists both kinds: the broken duration of outcomes[0] and the unknown window of strategies[1],
    numbered as in the file; nothing is said about what referred to the item left out."""
    d = data()
    d["outcomes"][0]["retry"] = {"after": "soon"}
    d["strategies"][1]["window"] = "never"
    d["checklists"][0]["sections"][0]["weight"] = 0
    found = problems(d)
    assert "outcomes[0].retry.after: expected a duration like 2h, 30m, 1d12h or 90d" in found
    assert "checklists[0].sections[0].weight: Input should be greater than 0" in found
    assert any(p.startswith("strategies[1].window: unknown window 'never'") for p in found)
    assert not any("'SALE'" in p for p in found) and len(found) == 3
    d = data()
    d["strategies"][0]["colour"] = "red"  # strategies[0] left out: the next ones keep their numbers
    d["strategies"].append({"id": "third", "stage": "retention", "script": "s", "window": "nope"})
    found = problems(d)
    assert found[0] == "strategies[0].colour: unknown key (check the spelling)"
    assert found[1:] == ["strategies[2].window: unknown window 'nope' (known: wh)"]  # not "no strategy for contact"


def test_unknown_keys_unsafe_conditions_and_unreachable_nodes():
    d = data()
    d["strategies"][0]["scirpt"] = "s"
    assert "strategies[0].scirpt: unknown key (check the spelling)" in problems(d)
    d = data()
    d["scripts"][0]["nodes"][1]["next"][0]["when"] = "__import__('os')"
    assert any("is not allowed" in p for p in problems(d))
    d = data()
    d["scripts"][0]["nodes"][0]["next"] = "bye"
    found = problems(d)
    assert "scripts[0].nodes[1]: node 'nps' is never reached from the start node 'hello'" in found


def test_a_loop_without_an_end_and_a_branch_without_default():
    d = data()
    d["scripts"][0]["nodes"][2]["next"] = "why"
    assert "scripts[0].nodes[2]: node 'why' never leads to an end node" in problems(d)
    d = data()
    d["scripts"][0]["nodes"][1]["next"] = [{"when": "answer <= 6", "goto": "why"}]
    assert any("the last branch needs no 'when'" in p for p in problems(d))


def test_unknown_placeholder_and_question_without_type():
    d = data()
    d["scripts"][0]["nodes"][0]["say"] = "Hello {customer.frist_name}"
    assert any("unknown placeholder '{customer.frist_name}'" in p for p in problems(d))
    d = data()
    del d["scripts"][0]["nodes"][2]["type"]
    assert any("a question needs a 'type'" in p for p in problems(d))


def test_an_unknown_outcome_and_duplicate_hotkeys():
    d = data()
    d["outcomes"][0]["hotkey"] = "s"
    d["outcomes"][1]["hotkey"] = "S"
    d["strategies"][0]["outcomes"] = ["SALE", "NOPE"]
    found = problems(d)
    assert any("hotkey 'S' is used by another outcome too" in p for p in found)
    assert any(p.startswith("strategies[0].outcomes[1]: unknown outcome 'NOPE'") for p in found)


def test_hyphenated_node_ids_work_in_conditions():
    d = data()
    d["scripts"][0]["nodes"][1]["id"] = "nps-score"
    d["scripts"][0]["nodes"][0]["next"] = "nps-score"
    d["scripts"][0]["nodes"][2]["next"] = [{"when": "answers.nps-score <= 3", "goto": "bye"}, {"goto": "bye"}]
    pb = playbook_from_data(d)
    assert pb.script("s").node("why").next[0].when.test({"answers.nps-score": 2})


def test_star_advance_must_be_allowed_from_every_stage():
    d = data()
    d["outcomes"][0]["advance"] = {"*": "retention"}
    assert any(p.startswith("outcomes[0].advance.*: '*' advances every stage to retention") for p in problems(d))


def test_declared_languages_must_all_be_given():
    d = data()
    d["languages"] = ["en", "ru"]
    d["stages"][0] = {"id": "contact", "label": {"en": "Contact", "ru": "Контакт"}}
    found = problems(d)
    assert "outcomes[0].label: missing the ru text (the playbook declares languages ['en', 'ru'])" in found
    assert not any(p.startswith("stages[0].label") for p in found)


def test_branch_on_an_option_that_does_not_exist():
    d = data()
    d["scripts"][0]["nodes"][2] = {
        "id": "why",
        "ask": "Why?",
        "type": "single",
        "options": ["Price", "Quality"],
        "next": [{"when": "answer == 'pirce'", "goto": "bye"}, {"goto": "bye"}],
    }
    assert any(p.startswith("scripts[0].nodes[2].next[0].when: unknown option 'pirce'") for p in problems(d))


def test_unquoted_yes_no_as_an_id_and_number_limits():
    d = data()
    d["scripts"][0]["nodes"][2] = {
        "id": "why",
        "ask": "Why?",
        "type": "single",
        "options": [{"value": False, "label": "No"}, {"value": "yes", "label": "Yes"}],
        "next": "bye",
    }
    assert any("quote the id" in p for p in problems(d))
    d = data()
    d["scripts"][0]["nodes"][2] = {
        "id": "why",
        "ask": "How many?",
        "type": "number",
        "min": 5,
        "max": 1,
        "next": "bye",
    }
    assert any("min must not be above max" in p for p in problems(d))
