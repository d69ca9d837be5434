"""The committed JSON Schema, the example models, and the command line's contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blueprint.cli import main
from blueprint.model import json_schema
from blueprint.model.schema import json_schema_text
from tests.conftest import COFFEE_BAR

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))


def test_committed_schema_is_in_sync_with_the_model():
    committed = (ROOT / "models" / "blueprint.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "run: blueprint schema -o models/blueprint.schema.json"


def test_schema_is_draft_07_with_descriptions_on_every_field():
    schema = json_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)
    undocumented = []
    for name, definition in [("model", schema), *schema["definitions"].items()]:
        for field, spec in definition.get("properties", {}).items():
            if "description" not in spec:
                undocumented.append(f"{name}.{field}")
    assert undocumented == []


def test_schema_forbids_unknown_keys_everywhere():
    schema = json_schema()
    objects = [schema, *schema["definitions"].values()]
    assert all(d.get("additionalProperties") is False for d in objects if "properties" in d)


def test_there_are_at_least_eight_example_models():
    assert len(MODELS) >= 8


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_example_model_starts_with_the_schema_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=blueprint.schema.json"


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_example_model_validates_and_lints_clean(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert main(["lint", "--strict", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_validate_all_examples_in_one_call(capsys):
    assert main(["validate", *map(str, MODELS)]) == 0
    assert f"{len(MODELS)} files checked: {len(MODELS)} valid" in capsys.readouterr().err


def test_validate_reports_errors_as_file_line_col_code(tmp_path, capsys):
    broken = tmp_path / "cafe.yaml"
    broken.write_text(COFFEE_BAR.replace("resource: barista", "resource: baristas"))
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:23:15: unknown-resource: 'baristas' is not a resource (did you mean " \
           "'barista'?)" in err
    assert "Traceback" not in err


def test_validate_json_output_lists_diagnostics(tmp_path, capsys):
    broken = tmp_path / "cafe.yaml"
    broken.write_text(COFFEE_BAR.replace("zone: support", "zone: suport"))
    assert main(["validate", "--output-format", "json", str(broken)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] == []
    (diagnostic,) = report["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["code"]) == (32, 11, "bad-value")
    assert "did you mean 'support'" in diagnostic["message"]


def test_missing_file_is_an_io_error_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "file-unreadable" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert main(["validate", "--no-such-option", "x.yaml"]) == 2
    assert main(["frobnicate"]) == 2


def test_lint_prints_warnings_on_stdout_and_strict_fails(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR.replace("    evidence: [Menu board]\n", ""))
    assert main(["lint", str(model)]) == 0
    assert main(["lint", "--strict", str(model)]) == 1
    out = capsys.readouterr().out
    assert f"{model}:14:3: no-evidence: customer step 'queue' shows no physical evidence" in out


def test_info_json_summarises_zones_touchpoints_and_resources(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    assert main(["info", "--output-format", "json", str(model)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps_per_zone"]["customer"] == ["queue", "drink"]
    assert summary["touchpoints"] == ["queue", "take_order", "stock", "drink"]
    assert summary["resources"]["barista"]["used_by"] == ["take_order"]
    assert summary["expected_arrivals"] == pytest.approx(30 + 60 * 1.5 + 25 * 1.5)
    assert summary["complexity"]["steps"] == 5


def test_info_text_shows_tables(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    assert main(["info", str(model)]) == 0
    out = capsys.readouterr().out
    assert "Steps per zone" in out and "touchpoints (4)" in out


def test_schema_command_writes_the_file_atomically(tmp_path, capsys):
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text())["title"] == "ServiceModel"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


def test_schema_to_missing_folder_is_an_io_error(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path / "no" / "schema.json")]) == 2
    assert "no such directory" in capsys.readouterr().err
