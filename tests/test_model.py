"""The model format: what loads, what each field becomes, and the errors the schema gives."""

from __future__ import annotations

import math

import pytest

import blueprint
from blueprint.model import Exponential, Fixed, Lognormal, Triangular
from tests.conftest import COFFEE_BAR, located_codes


def test_valid_model_loads_with_its_steps_in_order():
    bp = blueprint.loads(COFFEE_BAR)
    assert [s.id for s in bp.steps] == ["queue", "take_order", "brew", "stock", "drink"]
    assert bp.name == "Coffee bar"


def test_bare_number_duration_is_fixed():
    bp = blueprint.loads(COFFEE_BAR)
    assert bp.model.step("brew").duration == Fixed(value=1.5)


def test_distribution_means_follow_their_formulas():
    bp = blueprint.loads(COFFEE_BAR)
    assert isinstance(bp.model.step("take_order").duration, Triangular)
    assert bp.model.step("take_order").duration.mean == pytest.approx((0.5 + 1 + 2) / 3)
    assert isinstance(bp.model.step("drink").duration, Exponential)


def test_lognormal_parameters_reproduce_mean_and_sd():
    mu, sigma = Lognormal(dist="lognormal", mean=4, sd=2).log_parameters
    assert math.exp(mu + sigma**2 / 2) == pytest.approx(4)
    assert math.sqrt((math.exp(sigma**2) - 1) * math.exp(2 * mu + sigma**2)) == pytest.approx(2)


def test_clock_rates_become_rates_per_time_unit_from_opening():
    bp = blueprint.loads(COFFEE_BAR)
    assert bp.model.arrival_pieces == [
        (0.0, 60.0, pytest.approx(0.5)),
        (60.0, 150.0, pytest.approx(1.0)),
        (150.0, 240.0, pytest.approx(25 / 60)),
    ]


def test_seconds_time_unit_converts_clock_and_rates():
    text = COFFEE_BAR.replace("time_unit: min", "time_unit: s")
    bp = blueprint.loads(text)
    assert bp.model.horizon_end == 4 * 3600
    assert bp.model.arrival_pieces[0] == (0.0, 3600.0, pytest.approx(30 / 3600))


def test_schedule_windows_become_capacity_pieces():
    text = COFFEE_BAR.replace(
        "barista: {capacity: 2, cost_per_hour: 18}",
        'barista:\n    schedule:\n      - {from: "07:00", to: "09:00", capacity: 3}\n'
        '      - {from: "09:00", to: "11:00", capacity: 1}',
    )
    bp = blueprint.loads(text)
    assert bp.model.capacity_pieces("barista") == [(0.0, 120.0, 3.0), (120.0, 240.0, 1.0)]


def test_fixed_capacity_is_one_endless_piece():
    bp = blueprint.loads(COFFEE_BAR)
    assert bp.model.capacity_pieces("barista") == [(0.0, math.inf, 2.0)]


def test_evidence_as_text_or_with_kind():
    text = COFFEE_BAR.replace("[Menu board]", "[Menu board, {name: Receipt, kind: peripheral}]")
    evidence = blueprint.loads(text).model.step("queue").evidence
    assert [(e.name, e.kind) for e in evidence] == [("Menu board", "core"), ("Receipt", "peripheral")]


def test_unknown_key_points_at_the_key_with_a_hint():
    text = COFFEE_BAR.replace("    duration: 1.5", "    duraton: 1.5")
    (line, column, code), = located_codes(text)
    assert (line, column, code) == (30, 5, "unknown-key")


def test_unknown_key_message_names_the_likely_key():
    text = COFFEE_BAR.replace("    duration: 1.5", "    duraton: 1.5")
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.loads(text)
    assert "did you mean 'duration'" in caught.value.diagnostics[0].message


def test_every_schema_error_is_reported_at_once():
    text = (COFFEE_BAR.replace("zone: backstage", "zone: backstag")
            .replace("duration: 1.5", "duration: -1")
            .replace("value: 4.5", "value: lots"))
    codes = [c for _, _, c in located_codes(text)]
    assert sorted(codes) == ["bad-value", "bad-value", "wrong-type"]


def test_strings_are_not_silently_numbers():
    text = COFFEE_BAR.replace("capacity: 2,", 'capacity: "2",')
    assert located_codes(text) == [(9, 23, "wrong-type")]


def test_yes_is_text_in_yaml_1_2_not_true():
    text = COFFEE_BAR.replace("wait_point: true", "wait_point: yes")
    assert located_codes(text) == [(26, 17, "wrong-type")]


def test_unquoted_clock_time_is_read_as_text_in_yaml_1_2():
    text = COFFEE_BAR.replace('{open: "07:00", close: "11:00"}', "{open: 07:00, close: 11:00}")
    assert blueprint.loads(text).model.horizon_end == 240


def test_class_shares_must_sum_to_one():
    text = COFFEE_BAR.replace(
        "  value: 4.5",
        "  value: 4.5\n  classes:\n    regular: {share: 0.7}\n    loyalty: {share: 0.2}",
    )
    assert [c for _, _, c in located_codes(text)] == ["bad-shares"]


def test_steady_state_horizon_takes_one_constant_rate():
    text = (COFFEE_BAR.replace('horizon: {open: "07:00", close: "11:00"}',
                               "horizon: {length: 10000, warmup: 500}"))
    assert [c for _, _, c in located_codes(text)] == ["bad-demand"]
    fixed = text.replace('{"07:00": 30, "08:00": 60, "09:30": 25}', "40")
    bp = blueprint.loads(fixed)
    assert bp.model.arrival_pieces == [(0.0, 10000.0, pytest.approx(40 / 60))]


# --- every error at once: references are checked on whatever loaded ------------------------


def test_a_missing_key_does_not_hide_a_broken_reference_elsewhere():
    text = (COFFEE_BAR.replace("    zone: backstage\n", "")       # brew loses its zone
            .replace("resource: barista", "resource: baristas"))  # take_order names nothing
    # brew's `- ` is on line 27; `    resource: ` is 14 wide on line 23
    assert located_codes(text) == [(23, 15, "unknown-resource"), (27, 3, "missing-key")]


def test_a_step_without_an_id_defines_nothing():
    text = COFFEE_BAR.replace("  - id: brew\n", "  - name_of_brew: x\n").replace(
        "    next: end", "    next: brew")
    codes = located_codes(text)
    # the step that lost its id: missing-key at its `- ` (line 27) and the unknown key at
    # column 5; `next: brew` on the last line (41, `    next: ` is 10 wide) names nothing now
    assert codes == [(27, 3, "missing-key"), (27, 5, "unknown-key"), (41, 11, "unknown-step")]


def test_a_wrong_type_reference_is_one_error_not_two():
    text = COFFEE_BAR.replace("resource: barista", "resource: 7")
    assert located_codes(text) == [(23, 15, "wrong-type")]


def test_a_collection_of_the_wrong_type_leaves_its_names_unknown_without_cascade():
    text = COFFEE_BAR.replace("  barista: {capacity: 2, cost_per_hour: 18}", "  - barista")
    # `resources:` holds a list: one wrong-type at its value (line 9), no unknown-resource
    assert [c for _, _, c in located_codes(text)] == ["wrong-type"]


def test_the_written_out_spaces_are_every_space_below_u10000():
    """Ids may not hold white space: the list the model writes out is Python's own."""
    from blueprint.model.base import SPACES

    assert frozenset(chr(c) for c in range(0x10000) if chr(c).isspace()) == SPACES
