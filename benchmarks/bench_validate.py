"""kubelint's schema validation against kubernetes-validate's validate(), per document.

    .venv/bin/python benchmarks/bench_validate.py [--corpus DIR] [--limit N]
        [--kubernetes-version 1.37] [--no-strict]

Both validate the same documents (the built-in objects of the corpus that kubernetes-validate
has a schema for, parsed once by kubelint's parser, outside the timings), against the same
Kubernetes version and strictness, in this one process:

- kubernetes-validate: `kubernetes_validate.validate(obj, version, strict)` per document, the
  way its CLI does (it reads and parses the kind's schema and _definitions.json on every call);
- kubelint "cold": a fresh SchemaValidator, so the time includes reading `_definitions.json`,
  bundling and compiling every kind's schema on first use, and turning errors into findings;
- kubelint "warm": the same SchemaValidator on the same documents again (a long run, an editor).

It prints the time per document of each and the ratios, and exits 1 if kubelint cold is not at
least 50x faster per document. Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from kubelint.kube.groups import is_builtin_group  # noqa: E402
from kubelint.kube.versions import default_version, format_version, parse_version  # noqa: E402
from kubelint.model import Document  # noqa: E402
from kubelint.parser import parse  # noqa: E402
from kubelint.schema import SchemaValidator, store  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
TARGET_RATIO = 50.0
SUFFIXES = (".yaml", ".yml", ".json")


def corpus_documents(corpus: Path, version: tuple[int, int], strict: bool) -> list[Document]:
    """Built-in objects of the corpus that both tools have a schema for, in a stable order."""
    directory = store.version_dir(version, strict)
    assert directory is not None, "kubernetes-validate's schemas are not installed"
    found: list[Document] = []
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "{{" in text:
            continue  # unrendered templates: neither tool can validate them
        for doc in parse(text, str(path)).documents:
            api_version, kind = doc.api_version, doc.kind
            if (api_version and kind and is_builtin_group(api_version)
                    and store.kind_schema(directory, api_version, kind) is not None):
                found.append(doc)
    store.clear_caches()  # kubelint starts cold below
    return found


def sample(documents: list[Document], limit: int) -> list[Document]:
    """`limit` documents spread evenly over the corpus (all of them if limit is 0)."""
    if limit <= 0 or limit >= len(documents):
        return documents
    step = len(documents) / limit
    return [documents[int(i * step)] for i in range(limit)]


def time_kubelint(documents: list[Document], version: tuple[int, int], strict: bool) -> tuple[float, float, int]:
    validator = SchemaValidator(version, strict)
    started = time.perf_counter()
    rejected = sum(1 for doc in documents if any(rule != "unknown-kind" for rule, _ in validator.validate(doc)))
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for doc in documents:
        list(validator.validate(doc))
    warm = time.perf_counter() - started
    return cold, warm, rejected


def time_kubernetes_validate(documents: list[Document], version: tuple[int, int], strict: bool) -> tuple[float, int]:
    import kubernetes_validate

    wanted = format_version(version)
    rejected = 0
    started = time.perf_counter()
    for doc in documents:
        try:
            kubernetes_validate.validate(doc.obj, wanted, strict)
        except kubernetes_validate.ValidationError:
            rejected += 1
    return time.perf_counter() - started, rejected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=400,
                        help="documents to validate, spread over the corpus (0: all; default 400)")
    parser.add_argument("--kubernetes-version", "-k", default=None)
    parser.add_argument("--no-strict", dest="strict", action="store_false")
    args = parser.parse_args(argv)
    version = parse_version(args.kubernetes_version) if args.kubernetes_version else default_version()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    everything = corpus_documents(args.corpus, version, args.strict)
    documents = sample(everything, args.limit)
    count = len(documents)
    kubelint_cold, kubelint_warm, kubelint_rejected = time_kubelint(documents, version, args.strict)
    peer, peer_rejected = time_kubernetes_validate(documents, version, args.strict)

    def per_doc(seconds: float) -> str:
        return f"{seconds / count * 1000:8.3f} ms/document"

    strictness = "strict" if args.strict else "not strict"
    print(f"{count} documents (of {len(everything)} built-in objects in {args.corpus}), "
          f"Kubernetes {format_version(version)}, {strictness}")
    print(f"kubernetes-validate validate()           {per_doc(peer)}   rejects {peer_rejected}")
    print(f"kubelint, cold (load + compile + check)  {per_doc(kubelint_cold)}   rejects {kubelint_rejected}   "
          f"{peer / kubelint_cold:7.0f}x faster")
    print(f"kubelint, warm (schemas compiled)        {per_doc(kubelint_warm)}"
          f"{'':13}{peer / kubelint_warm:7.0f}x faster")
    if peer / kubelint_cold < TARGET_RATIO:
        print(f"kubelint is less than {TARGET_RATIO:.0f}x faster per document", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
