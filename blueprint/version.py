"""The toolkit's version, as installed (one source: the package metadata)."""

from __future__ import annotations

from importlib import metadata

__all__ = ["VERSION"]

try:
    VERSION: str = metadata.version("blueprint")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0+unknown"
