"""LangChain integration for 1min.ai."""

from langchain_oneminai._version import __version__

__all__ = ["__version__"]
