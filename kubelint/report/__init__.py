"""One module per output format; each turns a RunResult into text."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif")
