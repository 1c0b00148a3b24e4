"""The ``oneminai`` command line (``python -m langchain_oneminai``)."""

from langchain_oneminai._cli._app import main

__all__ = ["main"]
