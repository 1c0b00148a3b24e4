"""``python -m langchain_oneminai``: the ``oneminai`` command line."""

from __future__ import annotations

import sys

from langchain_oneminai._cli import main

if __name__ == "__main__":
    sys.exit(main())
