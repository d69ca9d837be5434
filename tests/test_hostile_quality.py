"""Hostile and careless use of `survey`, `quality`, `gaps` and `render --overlay`.

Each test states the behaviour the guide and docs/quality.md promise: bad input is
``FILE:LINE:COL: code: message`` and exit 1 (usage or I/O: 2), never a traceback or an
internal error; every error of every file at once; nothing the user has is replaced or
half-written; any script in ids; tables readable at 40 columns; outputs as documented.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import unicodedata
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main
from blueprint.diagnostics import ModelError
from blueprint.files import OutputError

REPO = Path(__file__).resolve().parent.parent
BANK = REPO / "models" / "bank_branch.yaml"
SURVEYS = REPO / "models" / "surveys"
HEADER = "respondent,step,dimension,expectation,perception\n"
GOOD_ROWS = "r1,enter,tangibles,6,5\nr2,enter,tangibles,5,5\n"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    model = tmp_path / "bank_branch.yaml"
    shutil.copyfile(BANK, model)
    return model


@pytest.fixture(scope="module")
def results_file(tmp_path_factory) -> Path:
    """Two simulated days of the bank, as `blueprint simulate --json` writes them."""
    path = tmp_path_factory.mktemp("results") / "results.json"
    blueprint.load(BANK).simulate(replications=2).write_json(path)
    return path


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return code, captured.out, captured.err


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- gaps --results: a damaged results file is bad-results, never an internal error --------------


@pytest.mark.parametrize("content", [
    pytest.param("[" * 100_000 + "]" * 100_000, id="nested-100000-deep"),
    pytest.param('{"model": ' + "1" * 5000 + "}", id="5000-digit-integer"),
])
def test_gaps_results_that_python_cannot_parse_are_bad_results(content, bank, tmp_path, capsys):
    bad = write(tmp_path / "bad.json", content)
    code, _, err = run(capsys, "gaps", bank, "--results", bad)
    assert code == 1
    assert err.startswith(f"{bad}:1:1: bad-results: ")


@pytest.mark.parametrize("content", [
    pytest.param("[" * 100_000 + "]" * 100_000, id="nested-100000-deep"),
    pytest.param('{"model": ' + "1" * 5000 + "}", id="5000-digit-integer"),
])
def test_api_gaps_results_that_python_cannot_parse_raise_model_error(content, tmp_path):
    bad = write(tmp_path / "bad.json", content)
    with pytest.raises(ModelError) as caught:
        blueprint.load(BANK).gaps(bad)
    assert caught.value.diagnostics[0].code == "bad-results"


def test_gaps_results_with_nan_figures_are_refused(bank, results_file, tmp_path, capsys):
    data = json.loads(results_file.read_text(encoding="utf-8"))
    data["steps"]["deposit"]["within_promise"] = {"mean": math.nan, "ci95": [math.nan, math.inf]}
    edited = write(tmp_path / "edited.json", json.dumps(data))
    code, out, err = run(capsys, "gaps", bank, "--results", edited)
    assert code == 1, out  # today: exit 0, "nan%" delivered, verdict "too close to call"
    assert "bad-results" in err


# --- every error of every file, at once -------------------------------------------------------


def test_a_file_that_cannot_be_read_does_not_hide_the_errors_of_the_others(bank, tmp_path, capsys):
    survey = write(tmp_path / "responses.csv", HEADER + "r1,depost,tangibles,6,5\n")
    people = write(tmp_path / "respondents.csv", b"respondent,recommend\n\xff\xfe\x00r1,9\n")
    code, _, err = run(capsys, "quality", bank, "--survey", survey, "--respondents", people)
    assert code == 1
    assert f"{survey}:2:2: unknown-step: " in err
    assert f"{people}:2:1: bad-encoding: " in err


def test_a_missing_management_file_does_not_hide_the_survey_errors(bank, tmp_path, capsys):
    survey = write(tmp_path / "responses.csv", HEADER + "r1,depost,tangibles,6,5\n")
    missing = tmp_path / "managers.csv"
    code, _, err = run(capsys, "gaps", bank, "--survey", survey, "--management", missing)
    assert code == 2
    assert f"{survey}:2:2: unknown-step: " in err
    assert f"{missing}:1:1: file-unreadable: " in err


def test_two_missing_files_are_both_reported(bank, tmp_path, capsys):
    survey, people = tmp_path / "responses.csv", tmp_path / "respondents.csv"
    code, _, err = run(capsys, "quality", bank, "--survey", survey, "--respondents", people)
    assert code == 2
    assert f"{survey}:1:1: file-unreadable: " in err
    assert f"{people}:1:1: file-unreadable: " in err


# --- where an error is -------------------------------------------------------------------------


def test_an_unterminated_quote_is_reported_on_the_line_it_opens(bank, tmp_path, capsys):
    survey = write(tmp_path / "responses.csv",
                   HEADER + 'r1,enter,tangibles,6,5\n"r2,enter,tangibles,6,5\n'
                   + "r3,enter,tangibles,6,5\nr4,enter,tangibles,6,5\n")
    code, _, err = run(capsys, "quality", bank, "--survey", survey)
    assert code == 1
    assert err.startswith(f"{survey}:3:1: bad-csv: ")  # today: line 5, the end of the file


def test_a_row_with_fewer_fields_than_the_header_is_bad_csv(bank, tmp_path, capsys):
    # a truncated row (its perception lost) is read today as a blank answer, without a word
    survey = write(tmp_path / "responses.csv", HEADER + "r0,enter,tangibles,6\n" + GOOD_ROWS)
    code, _, err = run(capsys, "quality", bank, "--survey", survey)
    assert code == 1
    assert f"{survey}:2:" in err and "bad-csv" in err


# --- any script in ids -----------------------------------------------------------------------


def test_a_step_id_written_decomposed_is_the_models_step(tmp_path, capsys):
    model = write(tmp_path / "cafe.yaml", BANK.read_text(encoding="utf-8").replace(
        "id: enter\n", "id: café\n").replace("to: enter\n", "to: café\n"))
    blueprint.load(model)  # the model is fine
    survey = write(tmp_path / "responses.csv",
                   HEADER + unicodedata.normalize("NFD", "r1,café,tangibles,6,5\n"))
    code, _, err = run(capsys, "quality", model, "--survey", survey)
    assert code == 0, err  # today: "'café' is not a step of the model (did you mean 'café'?)"


# --- the scale -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["-3-3", "-3..3", "-3–3"])
def test_a_scale_with_a_negative_end_is_two_increasing_numbers(scale, bank, tmp_path, capsys):
    survey = write(tmp_path / "responses.csv", HEADER + "r1,enter,tangibles,-3,2\nr2,enter,tangibles,3,-1\n")
    code, out, err = run(capsys, "quality", bank, "--survey", survey, f"--scale={scale}")
    assert code == 0, err
    assert "scale -3–3" in out


@pytest.mark.parametrize("scale", [(7, 1), (1, 1), (1, math.nan), (1, 7, 9), ("a", "b")])
def test_api_a_bad_scale_is_a_value_error_not_a_model_error(scale):
    bp = blueprint.load(BANK)
    with pytest.raises(ValueError) as caught:
        bp.quality(SURVEYS / "bank_branch.responses.csv", scale=scale)
    # today (7, 1) gives a ModelError of one out-of-scale per answer, and (1, 7, 9) is taken as 1-7
    assert not isinstance(caught.value, ModelError)
    assert "scale" in str(caught.value)


# --- outputs: nothing replaced, nothing half-written, nothing made where it should not be -------


def test_survey_leaves_the_questionnaire_alone_when_the_form_cannot_be_written(bank, tmp_path, capsys):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    questions = write(tmp_path / "q.csv", "the user's own file\n")
    code, _, _ = run(capsys, "survey", bank, "-o", questions, "--form", "/dev/full")
    assert code == 2
    assert questions.read_text(encoding="utf-8") == "the user's own file\n"


def test_survey_onto_a_device_makes_no_file_beside_the_device(bank, capsys):
    made = Path("/dev/null.22-items.csv")
    existed = made.exists()
    try:
        run(capsys, "survey", bank, "-o", "/dev/null")
        assert existed or not made.exists()  # today, as root: a regular file in /dev
    finally:
        if not existed and made.exists():
            made.unlink()


def test_api_survey_template_refuses_one_file_for_both_outputs(tmp_path):
    both = tmp_path / "q.csv"
    with pytest.raises((OutputError, ValueError)):
        blueprint.survey_template(BANK, both, form=both)  # today: the form silently replaces it
    assert not both.exists()


def test_api_survey_template_writes_nothing_when_the_form_is_refused(bank, tmp_path):
    questions = tmp_path / "q.csv"
    with pytest.raises(OutputError):
        blueprint.survey_template(bank, questions, form=bank)
    assert not questions.exists()


# --- the Python API: arguments that cannot both be used ------------------------------------------


def test_api_quality_refuses_respondents_beside_a_survey_already_read(tmp_path):
    bp = blueprint.load(BANK)
    answers = bp.survey(SURVEYS / "bank_branch.responses.csv")
    with pytest.raises(ValueError):  # today: the respondents file is silently ignored
        bp.quality(answers, respondents=SURVEYS / "bank_branch.respondents.csv")


def test_api_gaps_refuses_respondents_beside_a_survey_already_read(results_file):
    bp = blueprint.load(BANK)
    answers = bp.survey(SURVEYS / "bank_branch.responses.csv")
    with pytest.raises(ValueError):
        bp.gaps(results_file, survey=answers, respondents=SURVEYS / "bank_branch.respondents.csv")


# --- the figures -------------------------------------------------------------------------------


def test_the_nps_interval_is_the_documented_formula_even_past_100(bank, tmp_path):
    """Two answers, 10 and 0: p = d = 0.5, so NPS 0 ± 1.96 x 100 x sqrt(1 / 2) = ±138.6. The
    normal approximation is not clipped (docs/quality.md says why: collect more answers)."""
    survey = write(tmp_path / "responses.csv", HEADER + GOOD_ROWS)
    people = write(tmp_path / "respondents.csv", "respondent,recommend\nr1,10\nr2,0\n")
    nps = blueprint.load(bank).quality(survey, people).nps
    assert nps is not None and nps.score == 0
    half = 1.96 * 100 * math.sqrt((0.5 + 0.5 - 0.0) / 2)
    assert nps.ci95 == pytest.approx([-half, half], rel=1e-12)


# --- 40 columns: every row still says what it is about ------------------------------------------


def test_quality_at_40_columns_names_every_moment_of_truth(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run(capsys, "quality", BANK, "--survey", SURVEYS / "bank_branch.responses.csv")
    assert code == 0
    moments = out[out.index("Moments of truth"):]
    for first_word in ("Fill", "Advise", "Take", "Answer", "Explain", "Enter", "Rate", "Greet", "Hand"):
        assert first_word in moments, f"{first_word!r} missing:\n{moments}"
    assert "-0.90 ±0.11" in out  # responsiveness's gap, not cut to "-0.90…"


def test_gaps_at_40_columns_names_every_step_of_gaps_3_and_4(results_file, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run(capsys, "gaps", BANK, "--results", results_file)
    assert code == 0
    delivery = out[out.index("Gap 3"):out.index("Gap 4")]
    promises = out[out.index("Gap 4"):]
    for first_word in ("Take", "Answer", "Advise", "Explain"):
        assert first_word in delivery, f"{first_word!r} missing:\n{delivery}"
    for first_word in ("Take", "Advise"):
        assert first_word in promises, f"{first_word!r} missing:\n{promises}"


# --- outputs as docs/quality.md shows them ----------------------------------------------------------


def test_quality_headline_is_the_documented_one(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, _ = run(capsys, "quality", BANK, "--survey", SURVEYS / "bank_branch.responses.csv",
                       "--respondents", SURVEYS / "bank_branch.respondents.csv")
    assert code == 0
    documented = ("SERVQUAL -0.578; weighted -0.616; NPS +22 (+10 to +34, n 149); CSAT 74% "
                  "(67–81%, n 149); 135 blank expectations or perceptions")
    assert documented in " ".join(out.split())


def test_survey_says_what_the_docs_show(tmp_path, capsys):
    out_file = tmp_path / "questionnaire.csv"
    code, _, err = run(capsys, "survey", BANK, "-o", out_file)
    assert code == 0
    assert (f"wrote {tmp_path / 'questionnaire.22-items.csv'}: the 22-item model-wide form "
            "(4/5/4/4/5 items, 7-point scale)") in err  # today: "..., scale 1-7)"
