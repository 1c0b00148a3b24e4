"""The package version, read once from the installed distribution's metadata."""

from importlib import metadata

try:
    __version__ = metadata.version("langchain-oneminai")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

USER_AGENT = f"langchain-oneminai/{__version__}"
"""The User-Agent every request carries."""
