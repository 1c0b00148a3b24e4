"""The one mapping from a response to an exception, as a table."""

from __future__ import annotations

import json
import pickle

import pytest
from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
)

from langchain_oneminai import errors
from langchain_oneminai.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnsupportedModelError,
    error_from_response,
    extract_api_message,
    parse_retry_after,
)

KEY = "sk-live-secret-42"


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


CASES = [
    # status, headers, body, expected class, core class, api message, error code
    (
        400,
        {},
        body(errorCode="UNSUPPORTED_MODEL", message="Model gpt-9 is not supported"),
        UnsupportedModelError,
        ModelInvalidRequestError,
        "Model gpt-9 is not supported",
        "UNSUPPORTED_MODEL",
    ),
    (
        400,
        {},
        body(errorCode="REQUEST_BODY_VALIDATION_FAILED", message="prompt must be a string"),
        BadRequestError,
        ModelInvalidRequestError,
        "prompt must be a string",
        "REQUEST_BODY_VALIDATION_FAILED",
    ),
    (
        422,
        {},
        body(error={"message": "bad field", "details": ["x"]}),
        BadRequestError,
        ModelInvalidRequestError,
        "bad field",
        None,
    ),
    (409, {}, b"conflict", BadRequestError, ModelInvalidRequestError, "conflict", None),
    (
        401,
        {},
        body(error="Unauthorized", message="Invalid API key", statusCode=401),
        AuthenticationError,
        ModelAuthenticationError,
        "Invalid API key",
        None,
    ),
    (402, {}, b"", InsufficientCreditsError, ModelError, None, None),
    (
        400,
        {},
        body(message="Insufficient credit balance"),
        InsufficientCreditsError,
        ModelError,
        "Insufficient credit balance",
        None,
    ),
    (
        403,
        {},
        body(message="Forbidden"),
        PermissionDeniedError,
        ModelPermissionDeniedError,
        "Forbidden",
        None,
    ),
    (
        404,
        {},
        body(message="Cannot GET /api/x", error="Not Found"),
        NotFoundError,
        ModelNotFoundError,
        "Cannot GET /api/x",
        None,
    ),
    (
        429,
        {"Retry-After": "7"},
        body(error="Too Many Requests", message="Rate limit exceeded."),
        RateLimitError,
        ModelRateLimitError,
        "Rate limit exceeded.",
        None,
    ),
    (500, {}, b"Internal Server Error", ServerError, ModelAPIError, "Internal Server Error", None),
    (
        502,
        {},
        b"<html>Bad gateway</html>",
        ServerError,
        ModelAPIError,
        "<html>Bad gateway</html>",
        None,
    ),
    (
        504,
        {},
        body(detail="upstream timeout"),
        ServerError,
        ModelAPIError,
        "upstream timeout",
        None,
    ),
    (418, {}, b"teapot", APIStatusError, ModelError, "teapot", None),
]


@pytest.mark.parametrize(("status", "headers", "raw", "cls", "core", "message", "code"), CASES)
def test_error_mapping_table(status, headers, raw, cls, core, message, code) -> None:
    error = error_from_response(
        status, headers, raw, method="POST", path="/api/chat-with-ai", secrets=[KEY]
    )
    assert type(error) is cls
    assert isinstance(error, core)
    assert isinstance(error, errors.OneMinAIError)
    assert error.status_code == status
    assert error.api_message == message
    assert error.error_code == code
    assert "POST /api/chat-with-ai" in str(error)
    assert str(error).endswith(".") or str(error).endswith("?")


def test_rate_limit_carries_retry_after() -> None:
    error = error_from_response(429, {"retry-after": "7"}, b"{}")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert "wait 7 s" in str(error)


def test_unsupported_model_suggests_close_ids() -> None:
    error = error_from_response(
        400,
        {},
        body(errorCode="UNSUPPORTED_MODEL", message="Model gpt-4o-mni is not supported"),
        known_models=["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-6"],
    )
    assert isinstance(error, UnsupportedModelError)
    assert error.model == "gpt-4o-mni"
    assert error.suggestions[0] == "gpt-4o-mini"
    assert "Did you mean 'gpt-4o-mini'" in str(error)


def test_the_key_never_appears_even_when_the_server_echoes_it() -> None:
    raw = body(message=f"Invalid API key {KEY}", key=KEY)
    error = error_from_response(401, {}, raw, secrets=[KEY])
    for text in (str(error), repr(error), json.dumps(error.body), error.api_message or ""):
        assert KEY not in text
    assert "***" in (error.api_message or "")


def test_errors_pickle_with_their_fields() -> None:
    error = error_from_response(
        429, {"Retry-After": "2"}, body(message="slow down"), method="POST", path="/x"
    )
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is RateLimitError
    assert str(clone) == str(error)
    assert clone.retry_after == 2.0
    assert clone.api_message == "slow down"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"message": "a", "error": "b"}, "a"),
        ({"error": "b"}, "b"),
        ({"error": {"message": "nested"}}, "nested"),
        ({"message": ["one", "two"]}, "one; two"),
        ({"detail": "d"}, "d"),
        ({"statusCode": 500}, None),
        ("plain text", "plain text"),
        ("", None),
    ],
)
def test_extract_api_message(payload, expected) -> None:
    assert extract_api_message(payload) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        ("0.25", 0.25),
        ("-3", 0.0),
        ("Thu, 01 Jan 1970 00:01:40 GMT", 90.0),  # 100 s after epoch, "now" is 10 s
        ("not a date", None),
    ],
)
def test_parse_retry_after(value, expected) -> None:
    assert parse_retry_after(value, now=10.0) == expected


def test_every_public_error_is_exported() -> None:
    exported = {name for name in errors.__all__ if name[0].isupper()}
    defined = {
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type)
        and issubclass(obj, errors.OneMinAIError | Warning)
        and obj.__module__ == errors.__name__
    }
    assert exported == defined


def test_suggestions_are_unique() -> None:
    raw = body(errorCode="UNSUPPORTED_MODEL", message="Model gpt-9 is not supported")
    error = error_from_response(400, {}, raw, known_models=["gpt-5", "gpt-5", "gpt-4o"])
    assert isinstance(error, UnsupportedModelError)
    assert error.suggestions == list(dict.fromkeys(error.suggestions))


INDEX = {
    "UNIFY_CHAT_WITH_AI": ["gpt-4o-mini", "gpt-4o", "o3-pro", "claude-sonnet-4-6"],
    "IMAGE_GENERATOR": ["dall-e-3", "dall-e-2", "black-forest-labs/flux-1.1-pro"],
    "TEXT_TO_SPEECH": ["tts-1", "google-tts"],
    "SPEECH_TO_TEXT": ["whisper-1", "latest_short"],
}


def unsupported(model: str, feature: str) -> UnsupportedModelError:
    raw = body(errorCode="UNSUPPORTED_MODEL", message=f"Model {model} is not supported")
    error = error_from_response(400, {}, raw, feature=feature, model_index=INDEX)
    assert isinstance(error, UnsupportedModelError)
    return error


def test_suggestions_come_from_the_feature_that_was_called() -> None:
    # A chat call with an image model: suggest chat models, and say what dall-e-3 is.
    chat = unsupported("dall-e-3", "UNIFY_CHAT_WITH_AI")
    assert not set(chat.suggestions) & set(INDEX["IMAGE_GENERATOR"])
    assert "'dall-e-3' is a model of IMAGE_GENERATOR, not of UNIFY_CHAT_WITH_AI" in str(chat)
    assert "oneminai models --feature UNIFY_CHAT_WITH_AI" in str(chat)
    # An image call with a chat model: no chat model is suggested.
    image = unsupported("gpt-4o-mini", "IMAGE_GENERATOR")
    assert not set(image.suggestions) & set(INDEX["UNIFY_CHAT_WITH_AI"])
    assert "is a model of UNIFY_CHAT_WITH_AI" in str(image)
    # Speech to text with a speech *synthesis* model.
    stt = unsupported("google-tts", "SPEECH_TO_TEXT")
    assert "google-tts" not in stt.suggestions
    assert "is a model of TEXT_TO_SPEECH" in str(stt)


def test_suggestions_see_past_provider_prefixes() -> None:
    image = unsupported("flux-pro", "IMAGE_GENERATOR")
    assert image.suggestions[0] == "black-forest-labs/flux-1.1-pro"
    assert "o3-pro" not in image.suggestions
