"""The real-world corpus (../shared/corpus): no crash, every unparsable file reported with a place."""

from __future__ import annotations


def test_corpus_runs_to_the_end_without_internal_errors(corpus_report) -> None:
    code, report, err = corpus_report
    assert code == 0, err
    assert report["summary"]["files"] > 800
    assert report["summary"]["documents"] > 2000
    rules = {f["rule"] for f in report["findings"]}
    assert "internal-error" not in rules
    for finding in report["findings"]:
        assert finding["line"] >= 1 and finding["column"] >= 1


def test_corpus_known_cases(corpus_report) -> None:
    by_file: dict[str, list[str]] = {}
    for f in corpus_report[1]["findings"]:
        by_file.setdefault(f["file"].split("corpus/", 1)[1], []).append(f["rule"])
    # The envsubst placeholder file is not YAML: reported, with a place.
    assert by_file["cert-manager/make/config/bind/service.yaml"] == ["yaml-syntax"]
    # Every Helm template is reported as such, nothing else.
    helm = {k: v for k, v in by_file.items() if k.startswith("helm-templates/")}
    assert helm and all(set(v) == {"unrendered-template"} for v in helm.values())
    # Bare `=` enum values in prometheus-operator CRDs parse (no syntax error there).
    assert not any(k.startswith("prometheus-operator/") and "yaml-syntax" in v for k, v in by_file.items())
