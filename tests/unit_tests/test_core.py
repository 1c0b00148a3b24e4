"""The sans-I/O transport core: request building, timeouts, the retry policy and flow."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import SecretStr

from langchain_oneminai._transport import (
    Timeouts,
    TransportConfig,
    build_download_request,
    build_request,
)
from langchain_oneminai._transport._core import (
    FailureKind,
    Send,
    Sleep,
    TransportFailure,
    error_for_outcome,
    retry_delay,
    retry_flow,
)
from langchain_oneminai._transport._http import (
    HttpResponse,
    PreparedRequest,
    RetryPolicy,
    resolve_timeouts,
)
from langchain_oneminai._version import USER_AGENT
from langchain_oneminai.errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidInputError,
    MissingAPIKeyError,
    RateLimitError,
    ServerError,
)

KEY = "sk-test-0123456789"
CONFIG = TransportConfig(api_key=SecretStr(KEY), base_url="https://api.1min.ai")


def post(**kwargs) -> PreparedRequest:
    return build_request(CONFIG, "POST", "/api/chat-with-ai", json_body={"a": "ü"}, **kwargs)


# -- request building -------------------------------------------------------------------


def test_build_request_sets_exactly_our_headers_and_compact_utf8_json() -> None:
    request = post()
    assert request.url == "https://api.1min.ai/api/chat-with-ai"
    assert dict(request.headers) == {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
        "API-KEY": KEY,
        "Content-Type": "application/json",
    }
    assert request.body == '{"a":"ü"}'.encode()
    assert KEY not in repr(request)


def test_streaming_request_asks_for_event_stream_with_query() -> None:
    request = build_request(
        CONFIG, "POST", "/api/chat-with-ai", query={"isStreaming": "true"}, stream=True
    )
    assert request.url.endswith("/api/chat-with-ai?isStreaming=true")
    assert request.headers["Accept"] == "text/event-stream"


def test_default_headers_cannot_override_the_key_or_accept() -> None:
    config = TransportConfig(
        api_key=SecretStr(KEY),
        default_headers=(("X-Team", "t1"), ("API-KEY", "other"), ("Accept", "x")),
    )
    request = build_request(config, "GET", "/models")
    assert request.headers["X-Team"] == "t1"
    assert request.headers["API-KEY"] == KEY
    assert request.headers["Accept"] == "application/json"


def test_missing_key_is_refused_before_anything_is_built() -> None:
    with pytest.raises(MissingAPIKeyError, match="ONEMINAI_API_KEY"):
        build_request(TransportConfig(api_key=None), "POST", "/api/chat-with-ai")


def test_public_route_without_key_sends_no_key_header() -> None:
    request = build_request(TransportConfig(api_key=None), "GET", "/models", require_key=False)
    assert "API-KEY" not in request.headers


@pytest.mark.parametrize(
    ("url", "sends_key"),
    [
        ("https://api.1min.ai/images/x.png", True),  # the API's own host (R-bridge variant)
        ("https://asset.1min.ai/images/x.png", False),
        ("https://bucket.s3.amazonaws.com/x.png?X-Amz-Signature=abc", False),
    ],
)
def test_downloads_send_the_key_only_to_the_api_host(url: str, sends_key: bool) -> None:
    request = build_download_request(CONFIG, url)
    assert ("API-KEY" in request.headers) is sends_key
    assert request.idempotent


def test_the_asset_host_never_gets_the_key_even_on_the_api_host() -> None:
    config = TransportConfig(
        api_key=SecretStr(KEY),
        base_url="http://127.0.0.1:8",
        asset_base_url="http://127.0.0.1:8/asset-host",
    )
    assert (
        "API-KEY"
        not in build_download_request(config, "http://127.0.0.1:8/asset-host/images/a.png").headers
    )
    assert "API-KEY" in build_download_request(config, "http://127.0.0.1:8/images/a.png").headers


def test_config_repr_hides_the_key() -> None:
    assert KEY not in repr(CONFIG)
    assert "**********" in repr(CONFIG)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, Timeouts()),
        (30, Timeouts(connect=10.0, read=30.0)),
        (2.5, Timeouts(connect=2.5, read=2.5)),
        ((3, 300), Timeouts(connect=3.0, read=300.0)),
        (Timeouts(1, 2), Timeouts(1, 2)),
    ],
)
def test_resolve_timeouts(spec, expected) -> None:
    assert resolve_timeouts(spec) == expected


@pytest.mark.parametrize(
    "bad", [0, -1, True, "10", float("inf"), float("nan"), (0, 0), (1, -2), (1, float("inf"))]
)
def test_bad_timeouts_are_refused(bad) -> None:
    with pytest.raises(InvalidInputError, match="timeout"):
        resolve_timeouts(bad)


# -- the retry policy (a table) ---------------------------------------------------------

POLICY = RetryPolicy(max_retries=2, initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)
GET = build_request(CONFIG, "GET", "/api/conversations")


def response(status: int, **headers: str) -> HttpResponse:
    return HttpResponse(status, headers, b"{}")


@pytest.mark.parametrize(
    ("outcome", "attempt", "jitter", "request_", "expected"),
    [
        # refused or provably unsent: retried
        (response(429), 0, 0.0, None, 0.5),
        (response(429), 1, 0.0, None, 1.0),
        (response(429), 1, 1.0, None, 0.75),  # jitter shortens by up to 25 %
        (response(503), 0, 0.0, None, 0.5),
        (response(502), 0, 0.0, None, 0.5),
        (TransportFailure(FailureKind.CONNECT), 0, 0.0, None, 0.5),
        (TransportFailure(FailureKind.CONNECT_TIMEOUT), 0, 0.0, None, 0.5),
        # Retry-After wins: seconds, zero, and an HTTP date in the past
        (response(429, **{"Retry-After": "3"}), 0, 0.0, None, 3.0),
        (response(429, **{"retry-after": "0"}), 0, 0.0, None, 0.0),
        (response(503, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), 0, 0.0, None, 0.0),
        (response(429, **{"Retry-After": "soon"}), 0, 0.0, None, 0.5),  # unparseable: backoff
        # beyond the cap: raised at once rather than slept on
        (response(429, **{"Retry-After": "3600"}), 0, 0.0, None, None),
        # may have run: never retried for a POST
        (response(500), 0, 0.0, None, None),
        (response(504), 0, 0.0, None, None),
        (TransportFailure(FailureKind.DISCONNECTED), 0, 0.0, None, None),
        (TransportFailure(FailureKind.READ_TIMEOUT), 0, 0.0, None, None),
        # client errors never
        (response(400), 0, 0.0, None, None),
        (response(401), 0, 0.0, None, None),
        # out of retries
        (response(429), 2, 0.0, None, None),
        # idempotent GETs also retry 500/504 and drops after sending
        (response(500), 0, 0.0, GET, 0.5),
        (response(504), 0, 0.0, GET, 0.5),
        (TransportFailure(FailureKind.DISCONNECTED), 0, 0.0, GET, 0.5),
        (TransportFailure(FailureKind.READ_TIMEOUT), 0, 0.0, GET, None),
    ],
)
def test_retry_delay_table(outcome, attempt, jitter, request_, expected) -> None:
    assert retry_delay(POLICY, request_ or post(), outcome, attempt, jitter) == expected


def test_backoff_is_capped() -> None:
    assert RetryPolicy(initial_delay=0.5, max_delay=8.0).backoff(10, 0.0) == 8.0


def summary(commands):
    return [("send", c.attempt) if isinstance(c, Send) else ("sleep", c.seconds) for c in commands]


def drive(flow, outcomes):
    """Run a retry flow against scripted outcomes; return (commands, result or error)."""
    commands = []
    outcomes = iter(outcomes)
    command = next(flow)
    try:
        while True:
            commands.append(command)
            command = flow.send(next(outcomes) if isinstance(command, Send) else None)
    except StopIteration as stop:
        return commands, stop.value
    except Exception as error:
        return commands, error


def test_flow_retries_then_succeeds() -> None:
    ok = HttpResponse(200, {}, b"{}")
    commands, result = drive(
        retry_flow(POLICY, post(), rand=lambda: 0.0), [response(429), response(503), ok]
    )
    assert summary(commands) == [
        ("send", 0),
        ("sleep", 0.5),
        ("send", 1),
        ("sleep", 1.0),
        ("send", 2),
    ]
    assert result is ok


def test_flow_gives_up_with_the_mapped_error() -> None:
    body = json.dumps({"message": "Rate limit exceeded. Please try again later."}).encode()
    outcomes = [HttpResponse(429, {"Retry-After": "0"}, body)] * 3
    commands, error = drive(retry_flow(POLICY, post()), outcomes)
    assert [type(c) for c in commands] == [Send, Sleep, Send, Sleep, Send]
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 0.0
    assert error.api_message == "Rate limit exceeded. Please try again later."


def test_flow_does_not_retry_what_may_have_run() -> None:
    commands, error = drive(retry_flow(POLICY, post()), [HttpResponse(500, {}, b"boom")])
    assert summary(commands) == [("send", 0)]
    assert isinstance(error, ServerError)


@pytest.mark.parametrize(
    ("kind", "error_type", "text"),
    [
        (FailureKind.CONNECT, APIConnectionError, "Could not connect"),
        (FailureKind.CONNECT_TIMEOUT, APITimeoutError, "within 10 s"),
        (FailureKind.READ_TIMEOUT, APITimeoutError, "sent nothing for 120 s"),
        (FailureKind.DISCONNECTED, APIConnectionError, "may have run"),
    ],
)
def test_failures_map_to_connection_errors(kind, error_type, text) -> None:
    error = error_for_outcome(post(), TransportFailure(kind, "detail"))
    assert type(error) is error_type
    assert text in str(error)
    assert error.path == "/api/chat-with-ai"
    assert KEY not in str(error)


# -- classifying library exceptions (pure) ----------------------------------------------


def _requests_errors():
    import requests
    from urllib3 import exceptions as u3

    def wrapped(reason, cls=requests.ConnectionError):
        return cls(u3.MaxRetryError(None, "/x", reason=reason))  # type: ignore[arg-type]

    return [
        (wrapped(u3.NewConnectionError(None, "Connection refused")), FailureKind.CONNECT),  # type: ignore[arg-type]
        (wrapped(u3.NameResolutionError("h", None, OSError("nx"))), FailureKind.CONNECT),  # type: ignore[arg-type]
        (wrapped(u3.ConnectTimeoutError(), requests.ConnectTimeout), FailureKind.CONNECT_TIMEOUT),
        (requests.ReadTimeout(), FailureKind.READ_TIMEOUT),
        (
            requests.ConnectionError(u3.ReadTimeoutError(None, "/x", "Read timed out")),  # type: ignore[arg-type]
            FailureKind.READ_TIMEOUT,
        ),
        (
            requests.ConnectionError(u3.ProtocolError("Connection aborted.")),
            FailureKind.DISCONNECTED,
        ),
        (requests.exceptions.ChunkedEncodingError(), FailureKind.DISCONNECTED),
    ]


@pytest.mark.parametrize(("error", "kind"), _requests_errors())
def test_classify_requests_errors(error, kind) -> None:
    from langchain_oneminai._transport._sync import classify_requests_error

    assert classify_requests_error(error).kind == kind


def _aiohttp_errors():

    import aiohttp

    key = aiohttp.client_reqrep.ConnectionKey("h", 80, False, True, None, None, None)
    return [
        (aiohttp.ClientConnectorError(key, OSError(111, "refused")), FailureKind.CONNECT),
        (aiohttp.ConnectionTimeoutError(), FailureKind.CONNECT_TIMEOUT),
        (aiohttp.SocketTimeoutError(), FailureKind.READ_TIMEOUT),
        (TimeoutError(), FailureKind.READ_TIMEOUT),
        (aiohttp.ServerDisconnectedError(), FailureKind.DISCONNECTED),
        (aiohttp.ClientPayloadError("truncated"), FailureKind.DISCONNECTED),
    ]


@pytest.mark.parametrize(("error", "kind"), _aiohttp_errors())
def test_classify_aiohttp_errors(error, kind) -> None:
    from langchain_oneminai._transport._async import classify_aiohttp_error

    assert classify_aiohttp_error(error).kind == kind


def test_environment_proxies_are_still_honoured_and_read_once_per_host(monkeypatch) -> None:
    import requests.sessions

    from langchain_oneminai._transport._sync import _Session

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    lookups = []
    real = requests.sessions.get_environ_proxies

    def counting(url, no_proxy=None):
        lookups.append(url)
        return real(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counting)
    session = _Session()
    for _ in range(3):
        settings = session.merge_environment_settings(
            "https://api.1min.ai/api/chat-with-ai", {}, True, None, None
        )
        assert settings["proxies"]["https"] == "http://proxy.example:3128"
        assert settings["stream"] is True
    bypassed = session.merge_environment_settings(
        "https://internal.example/x", {}, None, None, None
    )
    assert "https" not in bypassed["proxies"]
    assert lookups == ["https://api.1min.ai/api/chat-with-ai", "https://internal.example/x"]
    session.close()


# -- advice that fits what happened -----------------------------------------------------


def test_a_failed_download_points_at_the_file_host_not_the_api() -> None:
    request = build_download_request(CONFIG, "https://asset.1min.ai/images/a.png")
    error = error_for_outcome(request, TransportFailure(FailureKind.CONNECT, "ConnectionError"))
    assert "the file host asset.1min.ai" in str(error)
    assert "asset_base_url" in str(error)
    assert "ONEMINAI_BASE_URL" not in str(error)


def test_a_refused_connection_says_nothing_was_sent() -> None:
    error = error_for_outcome(post(), TransportFailure(FailureKind.CONNECT, "ConnectionError"))
    assert "Nothing was sent" in str(error)
    assert "may have run" not in str(error)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("api.1min.ai", "Did you mean https://api.1min.ai?"),
        ("https://api.1min.ai/api", "without /api"),
        ("https://api.1min.ai/api/", "without /api"),
        ("file:///etc/passwd", "must start with https://"),
        ("ftp://api.1min.ai", "must start with https://"),
        ("https://api.1min.ai?x=1", "query or fragment"),
        ("https://:443", "has no host name"),
    ],
)
def test_base_urls_are_checked_with_advice(url: str, message: str) -> None:
    from langchain_oneminai._transport import check_base_url

    with pytest.raises(InvalidInputError, match=re.escape(message)):
        check_base_url(url)


def test_display_url_hides_credentials() -> None:
    from langchain_oneminai._transport import display_url

    assert display_url("https://u:p@gw.example/x") == "https://***@gw.example/x"
    assert display_url("https://gw.example/x") == "https://gw.example/x"
