"""One settings table: the config reader, the flags and Options agree, and mistakes are said once each."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import kubelint
from kubelint.cli import app
from kubelint.config import ConfigError, Overrides, load_config, options_from
from kubelint.settings import BY_KEY, SETTINGS


def test_options_parse_a_version_string() -> None:
    assert kubelint.Options(kubernetes_version="1.29").kubernetes_version == (1, 29)
    assert kubelint.Options(kubernetes_version="v1.29.3+k3s1").kubernetes_version == (1, 29)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("kubernetes_version", "one.twenty", "Options.kubernetes_version"),
    ("kubernetes_version", 1.29, "Options.kubernetes_version"),
    ("exclude", "*.tmp", "Options.exclude: expected a list of strings"),
    ("jobs", 0, "Options.jobs"),
    ("profile", "strict", "Options.profile: unknown profile 'strict'"),
])
def test_options_refuse_what_cannot_work_by_field(field: str, value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        kubelint.Options(**{field: value})


def test_every_usage_error_is_a_kubelint_error(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("fail-on: sometimes\n")
    with pytest.raises(kubelint.KubelintError):
        kubelint.lint_paths([str(tmp_path)])
    assert issubclass(kubelint.ConfigError, kubelint.KubelintError)


def test_every_config_key_is_in_the_schema_and_the_table() -> None:
    import json

    from kubelint.resources import data_dir

    schema = json.loads((data_dir("schemas") / "config.schema.json").read_text())
    keys = set(schema["properties"])
    # rules, ignore, enable and disable are read with the rule catalog at hand, not by the table
    assert keys - {"rules", "ignore", "enable", "disable"} == {k.split(".")[0] for k in BY_KEY}
    assert all(s.name in kubelint.Options.__dataclass_fields__ or s.per_run for s in SETTINGS)


def test_the_config_then_the_flags(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    (tmp_path / "crds").mkdir()
    cfg.write_text("kubernetes-version: 1.28\nexclude: [a.yaml]\nschema-dir: crds\nstrict: false\n")
    config = load_config(str(cfg))
    options = options_from(config, Overrides(flags={"exclude": ["b.yaml"], "kubernetes_version": "1.30"}))
    assert options.kubernetes_version == (1, 30)
    assert options.exclude == ["a.yaml", "b.yaml"]  # lists extend
    assert options.schema_dirs == [str(tmp_path / "crds")]  # relative to the config file
    assert options.strict is False
    assert options_from(config, Overrides(flags={"strict": True})).strict is True


def test_an_unknown_setting_name_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown settings kubernetes-version"):
        Overrides(flags={"kubernetes-version": "1.30"})


def test_config_mistakes_all_at_once_in_file_order(tmp_path: Path) -> None:
    """issue 21 item 7: an unknown rule id (line 2) was hidden by a bad fail-on (line 3)."""
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("rules:\n  image-tags: off\nfail-on: warnings\nrules-dir: nowhere\n")
    with pytest.raises(ConfigError) as caught:
        load_config(str(cfg))
    lines = str(caught.value).splitlines()
    assert [line.split(":")[1] for line in lines] == ["2", "3", "4"]
    assert "unknown rule `image-tags`; did you mean `image-tag`?" in lines[0]
    assert "did you mean `warning`?" in lines[1]
    assert "rules-dir: no such directory: nowhere" in lines[2]


def test_config_mistakes_all_at_once_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("rules:\n  image-tags: off\nfail-on: warnings\n")
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    result = CliRunner().invoke(app, ["check", "--no-color", str(tmp_path)])
    assert result.exit_code == 2
    assert ".kubelint.yaml:2:3: unknown rule `image-tags`" in result.output
    assert ".kubelint.yaml:3:10:" in result.output
