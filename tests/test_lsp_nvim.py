"""A second real client: headless Neovim, with editors/neovim/kubelint.lua, opening a manifest
and printing the diagnostics its built-in LSP client received from `kubelint lsp`.

Skips where `nvim` is not installed (Debian's `neovim` package has the LSP client, 0.7+).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "lsp" / "workspace"
PLUGIN = ROOT / "editors" / "neovim"
NVIM = shutil.which("nvim")

SCRIPT = r"""
package.path = vim.env.KUBELINT_PLUGIN .. "/?.lua;" .. package.path
local kubelint = require("kubelint")
kubelint.setup({ cmd = vim.fn.json_decode(vim.env.KUBELINT_CMD) })
vim.cmd("filetype on")
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.KUBELINT_FILE))
local bufnr = vim.api.nvim_get_current_buf()
local got = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
                      code = d.code or lsp.code, source = d.source, message = d.message })
end
local file = io.open(vim.env.KUBELINT_OUT, "w")
file:write(vim.fn.json_encode({ waited = got, diagnostics = out }))
file:close()
for _, client in ipairs(vim.lsp.get_active_clients()) do client.stop() end
vim.wait(5000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
vim.cmd("qa!")
"""


@pytest.mark.skipif(NVIM is None, reason="nvim is not installed (apt-get install neovim)")
def test_neovim_shows_the_removed_ingress_api(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES, root)
    script = tmp_path / "check.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PATH": "/usr/bin:/bin", "KUBELINT_PLUGIN": str(PLUGIN),
           "KUBELINT_CMD": json.dumps([sys.executable, "-m", "kubelint", "lsp", "--stdio"]),
           "KUBELINT_FILE": str(root / "apps" / "ingress.yaml"), "KUBELINT_OUT": str(out)}
    assert NVIM is not None
    done = subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {script}"], env=env,
                          cwd=root, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.exists(), (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["waited"] is True
    removed = [d for d in result["diagnostics"] if d["code"] == "removed-api"]
    assert len(removed) == 1, result
    assert (removed[0]["lnum"], removed[0]["col"], removed[0]["end_lnum"], removed[0]["end_col"]) == (0, 12, 0, 30)
    assert removed[0]["source"] == "kubelint"
    assert "Ingress is no longer served" in removed[0]["message"]
