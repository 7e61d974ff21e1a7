"""Builds kubelint's C parser (kubelint/parser/_fastyaml.c) into the wheel, where it can.

Why optional: kubelint must install wherever Python runs. Without a C compiler, Python's
headers or libyaml's (Debian: libyaml-dev), the wheel is pure Python and kubelint parses with
its Python builder: the same results, in about three times the parse time. Set
KUBELINT_PURE_PYTHON=1 to skip the build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = ("kubelint", "parser", "_fastyaml.c")
MODULE = "kubelint.parser._fastyaml"


def libyaml_folders() -> tuple[list[str], list[str]]:
    """libyaml's include and library folders as pkg-config knows them, where it does: Homebrew
    and other prefixes put them off the compiler's default paths."""
    import shutil
    import subprocess

    if shutil.which("pkg-config") is None:
        return [], []
    try:
        found = subprocess.run(["pkg-config", "--cflags-only-I", "--libs-only-L", "yaml-0.1"],
                               capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return [], []
    words = found.stdout.split() if found.returncode == 0 else []
    return [w[2:] for w in words if w.startswith("-I")], [w[2:] for w in words if w.startswith("-L")]


def compile_extension(root: Path, work: Path) -> Path:
    """The built extension module, compiled by setuptools (it knows every platform's compiler)."""
    from setuptools import Distribution, Extension

    include_dirs, library_dirs = libyaml_folders()
    extension = Extension(MODULE, [str(root.joinpath(*SOURCE))], libraries=["yaml"],
                          include_dirs=include_dirs, library_dirs=library_dirs)
    command = Distribution({"name": "kubelint-parser", "ext_modules": [extension]}).get_command_obj("build_ext")
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.ensure_finalized()
    command.run()
    return Path(command.get_ext_fullpath(MODULE))


class CParserBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._work: str | None = None
        if os.environ.get("KUBELINT_PURE_PYTHON", "") not in ("", "0"):
            return
        self._work = tempfile.mkdtemp(prefix="kubelint-build-")
        try:
            built = compile_extension(Path(self.root), Path(self._work))
        except Exception as exc:  # no compiler, no headers: the pure-Python wheel
            self.app.display_warning(
                f"kubelint: its C parser was not built ({type(exc).__name__}: {exc}); "
                "kubelint will parse with its Python builder (same results, slower)")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":  # the source tree is what an editable install imports
            shutil.copy2(built, Path(self.root, *SOURCE[:-1], built.name))
        else:
            build_data["force_include"][str(built)] = "/".join((*SOURCE[:-1], built.name))

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work:
            shutil.rmtree(self._work, ignore_errors=True)
