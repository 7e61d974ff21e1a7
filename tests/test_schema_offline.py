"""Nothing reaches the network: a whole check runs with every socket refused."""

from __future__ import annotations

import json
import socket

import pytest

from kubelint.schema import store
from tests.conftest import FIXTURES, run_cli

F = FIXTURES / "schema"


class _NoNetwork(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("kubelint opened a socket")


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("kubelint tried to reach the network")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    store.clear_caches()  # load and compile every schema again, inside the blocked run


def test_a_whole_check_with_sockets_blocked(no_network: None, tmp_path) -> None:
    # A catalog schema that points at the network: refused and reported, never fetched.
    catalog = tmp_path / "catalog" / "example.net"
    catalog.mkdir(parents=True)
    (catalog / "gadget_v1.json").write_text(json.dumps({"$ref": "https://example.net/gadget.json"}))
    gadget = tmp_path / "gadget.yaml"
    gadget.write_text("apiVersion: example.net/v1\nkind: Gadget\nmetadata: {name: g}\n")
    code, out, err = run_cli(["check", "--format", "json", "--schema-dir", str(tmp_path / "catalog"),
                              "-j", "1", str(F), str(gadget)])
    report = json.loads(out)
    rules = {f["rule"] for f in report["findings"]}
    assert code == 1, err
    assert {"schema-invalid", "unknown-field"} <= rules and "internal-error" not in rules
    [refused] = [f for f in report["findings"] if f["file"] == str(gadget)]
    assert refused["rule"] == "unknown-kind" and "https://example.net/gadget.json" in refused["message"]
