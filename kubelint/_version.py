"""kubelint's version, in a module of its own so that any layer may read it without importing
the public façade (which reaches every layer)."""

__version__ = "0.1.0"
