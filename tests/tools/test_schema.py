"""JSON Schemas for editors: the committed files are current, the samples validate, bad keys and
values are rejected, and the schemas accept what the validators accept (checked value by value)."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

from broadsheet.cli import main
from broadsheet.tools.schema import FILES, dumps, schemas, write_schemas
from broadsheet.input.spec import SpecModel
from broadsheet.input.sheets import SheetModel
from conftest import ROOT

SCHEMA_DIR = ROOT / "schema"
SPECS = sorted((ROOT / "layout").glob("*.yaml"))
SHEETS = sorted((ROOT / "styles").glob("*.yaml"))


@pytest.fixture(scope="module")
def generated():
    return schemas()


def validator(schema) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_are_current(generated):
    for name, schema in generated.items():
        path = SCHEMA_DIR / FILES[name]
        assert path.is_file(), f"{path} missing: run `broadsheet schema`"
        assert path.read_text(encoding="utf-8") == dumps(schema), f"{path} is out of date: run `broadsheet schema`"


@pytest.mark.parametrize("path", SPECS + SHEETS, ids=lambda p: p.name)
def test_samples_validate(path, generated):
    kind = "layout" if path.parent.name == "layout" else "styles"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in validator(generated[kind]).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", [ROOT / "layout" / "dangjian.yaml", ROOT / "layout" / "sikai.yaml", ROOT / "styles" / "newspaper.yaml"], ids=lambda p: p.name)
def test_samples_name_their_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, first
    target = (path.parent / m.group(1)).resolve()
    assert target.is_file() and target.parent == SCHEMA_DIR
    assert target.name == FILES["layout" if path.parent.name == "layout" else "styles"]


def test_bad_keys_are_rejected(generated):
    spec = yaml.safe_load((ROOT / "layout" / "dangjian.yaml").read_text(encoding="utf-8"))
    spec["grid"]["gutterr"] = "1字"
    spec["stories"][0]["fram"] = {}
    messages = [e.message for e in validator(generated["layout"]).iter_errors(spec)]
    assert any("'gutterr' was unexpected" in m for m in messages)
    assert any("'fram' was unexpected" in m for m in messages)
    sheet = yaml.safe_load((ROOT / "styles" / "newspaper.yaml").read_text(encoding="utf-8"))
    sheet["paragraph"]["body"]["colour"] = "red"
    sheet["fontz"] = {}
    messages = [e.message for e in validator(generated["styles"]).iter_errors(sheet)]
    assert any("'colour' was unexpected" in m for m in messages) and any("'fontz' was unexpected" in m for m in messages)


def test_required_keys(generated):
    errors = [e.message for e in validator(generated["layout"]).iter_errors({"title": "t"})]
    assert any("'page' is a required property" in m for m in errors)
    assert any("'stories' is a required property" in m for m in errors)


def test_editors_get_descriptions_and_choices(generated):
    styles = generated["styles"]["$defs"]["ParaProps"]["properties"]
    assert "based_on" in styles["based_on"]["description"] or "inherits" in styles["based_on"]["description"]
    text = json.dumps(styles["size"], ensure_ascii=False)
    assert "小五" in text and "四号" in text, "号 sizes are offered for completion"
    assert "black" in json.dumps(styles["color"]) and "justify" in json.dumps(styles["align"])
    layout = generated["layout"]
    assert "对开" in json.dumps(layout, ensure_ascii=False)
    assert generated["layout"]["$schema"].startswith("https://json-schema.org/")


# ---------------------------------------------------------------------------------------------
# the schema accepts what the models accept


def _pydantic_ok(model, data) -> bool:
    try:
        model.model_validate(data)
        return True
    except ValidationError:
        return False


def _schema_ok(schema, data) -> bool:
    return validator(schema).is_valid(data)


SIZES = [9, 10.5, "9pt", "小五", "小五号", "五号", "五", "3.5mm", "20Q", "12", "nine", "9ft", True, [9]]
LENGTHS_H = ["2字", "0字", "1.5zi", "3mm", "0.5pt", "2", 2, "2em", "2行", "abc"]
LEADINGS = ["1行", "14pt", 1.3, 2, "5mm", "1.3", "2字", "x"]
COLOURS = ["black", "red", "灰", [0, 0, 0, 100], [0, 100, 100, 0], [0, 0, 0], [0, 0, 0, 101], "purple", "#000"]
VLENGTHS = [0, 12, "12行", "12", "30mm", "12lines", "3字", "end?"]


@pytest.mark.parametrize("prop, values", [("size", SIZES), ("indent", LENGTHS_H), ("letter_spacing", LENGTHS_H),
                                          ("leading", LEADINGS), ("color", COLOURS), ("space_before", VLENGTHS)])
def test_style_values_agree_with_the_validators(generated, prop, values):
    for value in values:
        data = {"paragraph": {"body": {prop: value}}}
        assert _schema_ok(generated["styles"], data) == _pydantic_ok(SheetModel, data), (prop, value)


def _spec(**changes):
    data = {
        "title": "t", "page": {"size": "A4", "margins": "15mm"},
        "grid": {"columns": 4, "gutter": "1字", "line": "14pt"}, "styles": "s.yaml",
        "stories": [{"story": "a.md", "frame": {"columns": "1-4"}}],
    }
    for path, value in changes.items():
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        node[keys[-1]] = value
    return data


@pytest.mark.parametrize("path, values", [
    ("page.size", ["对开", "A4", "B4", ["390mm", "540mm"], ["10in", "14in"], ["390", "540"], "A9", [390, 540]]),
    ("page.margins", ["15mm", "1in", {"top": "30mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
                      {"top": "30mm"}, 15, "15"]),
    ("grid.gutter", ["1字", "4mm", "9pt", 4, "4ft"]),
    ("grid.columns", [1, 8, 24, 0, 25, 2.5]),
    ("styles", ["s.yaml", ["a.yaml", "b.yaml"], 3]),
    ("stories.0.frame", [{"columns": "1-5"}, [{"columns": 1}, {"columns": [2, 3], "top": 10, "page": 2}],
                         {"columns": "1-5", "top": "12行", "bottom": "end"}, {"columns": "x"}, {"top": 0}, "1-5"]),
    ("stories.0.frame.columns", ["1-5", "3", 3, [1, 5], "1～5", "2-3栏", "a", "1-"]),
])
def test_spec_values_agree_with_the_validators(generated, path, values):
    for value in values:
        data = _spec(**{path: value})
        schema_says, model_says = _schema_ok(generated["layout"], data), _pydantic_ok(SpecModel, data)
        assert schema_says == model_says, (path, value, schema_says, model_says)


def test_where_the_schema_is_stricter_than_the_validators(generated):
    """Deliberate: pydantic reads '8' as the integer 8; an editor should still ask for a number."""
    data = _spec(**{"grid.columns": "8"})
    assert _pydantic_ok(SpecModel, data) and not _schema_ok(generated["layout"], data)


# ---------------------------------------------------------------------------------------------
# the command


def test_schema_command_writes_and_checks(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(FILES.values())
    assert runner.invoke(main, ["schema", "-o", str(tmp_path / "s"), "--check"]).exit_code == 0
    (tmp_path / "s" / FILES["styles"]).write_text("{}", encoding="utf-8")
    stale = runner.invoke(main, ["schema", "-o", str(tmp_path / "s"), "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output and "missing" not in stale.output
    (tmp_path / "s" / FILES["styles"]).unlink()
    missing = runner.invoke(main, ["schema", "-o", str(tmp_path / "s"), "--check"])
    assert missing.exit_code == 1 and f"{FILES['styles']}: missing" in missing.output and "out of date" not in missing.output
    assert runner.invoke(main, ["schema", "--check", "-o", str(ROOT / "schema")]).exit_code == 0


def test_writing_is_idempotent(tmp_path):
    first = [p.read_bytes() for p in write_schemas(tmp_path)]
    mtimes = [p.stat().st_mtime_ns for p in sorted(tmp_path.iterdir())]
    second = [p.read_bytes() for p in write_schemas(tmp_path)]
    assert first == second
    assert mtimes == [p.stat().st_mtime_ns for p in sorted(tmp_path.iterdir())], "unchanged files are not rewritten"
