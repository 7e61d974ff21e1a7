"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = (REPO.parent / "shared" / "corpus").resolve()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the real-world corpus is not at {CORPUS} (it lives beside the repo as ../shared/corpus)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_report() -> tuple[int, dict, str]:
    """One `kubelint check ../shared/corpus --format json` for every test that reads its report
    (whole-corpus runs are most of the suite's time): (exit code, the report, stderr)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the real-world corpus is not at {CORPUS} (it lives beside the repo as ../shared/corpus)")
    import json

    code, out, err = run_cli(["check", str(CORPUS), "--format", "json", "--fail-on", "never"])
    return code, json.loads(out), err


def run_cli(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from kubelint.cli import app

    result = CliRunner().invoke(app, args, input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True, scope="session")
def _private_schema_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the CLI processes they start) never read or write the user's cache."""
    import os

    os.environ["KUBELINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("kubelint-cache"))


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a GitHub Actions job, `kubelint check` defaults to --format github; the tests expect
    the plain default wherever they run (tests of that default set the variable themselves)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _c_builder_missing() -> str | None:
    """Why the C parser cannot be tested here, or None; where CI asks for it, its absence fails."""
    import os

    from kubelint.parser import builder

    if builder._fastyaml is not None:
        return None
    if os.environ.get("KUBELINT_REQUIRE_C_PARSER", "") not in ("", "0"):
        pytest.fail("KUBELINT_REQUIRE_C_PARSER is set but kubelint/parser/_fastyaml was not built")
    return "kubelint's C parser is not built here (no C compiler or libyaml headers at install)"


@pytest.fixture(params=["c", "python"])
def each_builder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a parser test with the C builder and again with the Python one (its fallback)."""
    from kubelint.parser import builder

    if request.param == "c":
        missing = _c_builder_missing()
        if missing:
            pytest.skip(missing)
    else:
        monkeypatch.setattr(builder, "_fastyaml", None)
    return str(request.param)
