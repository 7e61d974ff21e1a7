"""`python -m kubelint` runs the CLI."""

from kubelint.cli import run

run()
