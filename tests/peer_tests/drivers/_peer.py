"""What every driver shares: point a client's own HTTP calls at the emulator, report as JSON.

A driver runs in the client's own virtualenv (``python drivers/<client>.py <scenario>``), imports
the published client and calls its public methods, so its own request building and response
parsing run unchanged. The clients hard-code ``https://api.1min.ai``; the only change made to
them is at the transport: ``requests.Session.request`` and ``aiohttp.ClientSession._request``
rewrite that origin to the emulator's (``ONEMINAI_PEER_BASE_URL``), and for the web-app client a
path map names the developer-API route that takes the same payload. Every rewrite is recorded and
reported, so the table says which calls needed one.

The driver prints one JSON line: ``{"result": ..., "error": "<type>: <message>" | null,
"rewrites": [...]}``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIVE = "https://api.1min.ai"
BASE = os.environ.get("ONEMINAI_PEER_BASE_URL", "")
KEY = os.environ.get("ONEMINAI_PEER_API_KEY", "")
CONVERSATION = os.environ.get("ONEMINAI_PEER_CONVERSATION") or None
"""A conversation the test made on the emulator, for clients that cannot make one there."""
FILE = os.environ.get("ONEMINAI_PEER_FILE", "")
"""A file to upload (a small PNG)."""
REWRITES: list[str] = []

# The web app's team-scoped routes and the developer-API route with the same payload and answer
# (docs/wire.md: the backend is shared). ``None``: no developer-API counterpart.
_TEAM = r"/teams/[^/]+"
WEBAPP_PATHS: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str] | None]] = [
    (re.compile(rf"^{_TEAM}/features/v2/unified-chat$"), lambda m, q: "/api/chat-with-ai"),
    (
        re.compile(rf"^{_TEAM}/features/unified-chat/conversations/messages/after-id$"),
        lambda m, q: (
            "/api/conversations/" + json.loads(parse_qs(q)["filters"][0])["conversationId"]
        ),
    ),
    (
        re.compile(rf"^{_TEAM}/features/conversations/([^/]+)$"),
        lambda m, q: f"/api/conversations/{m[1]}",
    ),
    (re.compile(rf"^{_TEAM}/features/conversations$"), lambda m, q: "/api/conversations"),
    (re.compile(rf"^{_TEAM}/assets$"), lambda m, q: "/api/assets"),
    (re.compile(rf"^{_TEAM}/features$"), lambda m, q: "/api/features"),
]


def rewrite(url: str, *, webapp: bool = False) -> str:
    """``url`` on the emulator: same path, or (``webapp``) the mapped developer-API path."""
    text = str(url)
    if not text.startswith(LIVE):
        return text
    parts = urlsplit(text)
    path, query = parts.path, parts.query
    if webapp:
        for pattern, target in WEBAPP_PATHS:
            match = pattern.match(path)
            if match and target is not None:
                new_path = target(match, query)
                keep = "" if "after-id" in path else query
                REWRITES.append(f"{path} -> {new_path}")
                return BASE + new_path + (f"?{keep}" if keep else "")
    return BASE + path + (f"?{query}" if query else "")


def redirect_requests() -> None:
    """Send every ``requests`` call for api.1min.ai to the emulator (same path)."""
    import requests

    original = requests.Session.request

    def request(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return original(self, method, rewrite(url), *args, **kwargs)

    requests.Session.request = request  # type: ignore[method-assign]


def redirect_aiohttp(*, webapp: bool) -> None:
    """Send every ``aiohttp`` call for api.1min.ai to the emulator (web-app paths mapped)."""
    import aiohttp

    original = aiohttp.ClientSession._request

    def _request(self: Any, method: str, str_or_url: Any, *args: Any, **kwargs: Any) -> Any:
        return original(self, method, rewrite(str(str_or_url), webapp=webapp), *args, **kwargs)

    aiohttp.ClientSession._request = _request  # type: ignore[method-assign]


def error_text(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}: {error}"


def run(scenarios: dict[str, Callable[[], Any]]) -> None:
    """Run the scenario named by ``argv[1]`` and print its JSON report."""
    name = sys.argv[1]
    report: dict[str, Any] = {"scenario": name, "result": None, "error": None}
    try:
        report["result"] = scenarios[name]()
    except Exception as error:
        report["error"] = error_text(error)
        report["traceback"] = traceback.format_exc(limit=6)
    report["rewrites"] = sorted(set(REWRITES))
    print(json.dumps(report, default=str))


async def attempt_async(call: Any) -> dict[str, Any]:
    """:func:`attempt` for an awaitable."""
    try:
        return {"ok": await call}
    except Exception as error:
        return {"error": error_text(error)}


def attempt(call: Callable[[], Any]) -> dict[str, Any]:
    """``{"ok": value}`` or ``{"error": "<type>: <message>"}``: for scenarios that try many calls."""
    try:
        return {"ok": call()}
    except Exception as error:
        return {"error": error_text(error)}
