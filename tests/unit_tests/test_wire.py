"""Request builders and lenient response parsers of ``_wire``."""

from __future__ import annotations

import pytest

from langchain_oneminai._wire import (
    ROUTES,
    AIRecord,
    ChatAttachments,
    ChatSettings,
    build_chat_payload,
    build_conversation_payload,
    build_feature_payload,
    parse_conversation,
    parse_conversation_list,
    parse_model_catalog,
    parse_record,
    parse_uploaded_asset,
    token_usage_from_metadata,
)
from langchain_oneminai.client._assets import download_urls, multipart_for
from langchain_oneminai.client._media_types import sniff_mime_type
from langchain_oneminai.errors import InvalidInputError, ResponseError

# -- requests ---------------------------------------------------------------------------


def test_minimal_chat_payload_is_exactly_the_documented_one() -> None:
    assert build_chat_payload("gpt-4o-mini", "ping") == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": "ping"},
    }


def test_full_chat_payload() -> None:
    payload = build_chat_payload(
        "gpt-4o",
        "Summarise",
        conversation_id="c-1",
        attachments=ChatAttachments(images=("images/a.png",), files=("f-uuid",)),
        settings=ChatSettings(
            web_search=True,
            num_of_site=2,
            max_word=500,
            history_message_limit=4,
            with_memories=True,
        ),
        brand_voice_id="bv-1",
    )
    assert payload == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o",
        "promptObject": {
            "prompt": "Summarise",
            "conversationId": "c-1",
            "settings": {
                "webSearchSettings": {"webSearch": True, "numOfSite": 2, "maxWord": 500},
                "historySettings": {"historyMessageLimit": 4},
                "withMemories": True,
            },
            "attachments": {"images": ["images/a.png"], "files": ["f-uuid"]},
        },
        "brandVoiceId": "bv-1",
    }


@pytest.mark.parametrize("prompt", ["", "   ", None, 3])
def test_empty_prompt_is_refused(prompt) -> None:
    with pytest.raises(InvalidInputError, match="prompt"):
        build_chat_payload("gpt-4o-mini", prompt)


def test_feature_payload() -> None:
    assert build_feature_payload("TEXT_TO_SPEECH", "tts-1", {"text": "hi", "voice": "alloy"}) == {
        "type": "TEXT_TO_SPEECH",
        "model": "tts-1",
        "promptObject": {"text": "hi", "voice": "alloy"},
    }
    with_conv = build_feature_payload(
        "TEXT_TO_SPEECH", "tts-1", {}, conversation_id="TEXT_TO_SPEECH"
    )
    assert with_conv["conversationId"] == "TEXT_TO_SPEECH"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "x" * 92, "model": "m"}, "91 characters"),
        ({"title": "", "model": "m"}, "title"),
        ({"title": "t", "model": "m", "conversation_type": "NOPE"}, "Unknown conversation type"),
        ({"title": "t", "model": "m", "conversation_type": "CHAT_WITH_PDF"}, "file_ids"),
        (
            {"title": "t", "model": "m", "conversation_type": "CHAT_WITH_YOUTUBE_VIDEO"},
            "youtube_url",
        ),
    ],
)
def test_bad_conversation_payloads_are_refused(kwargs, message) -> None:
    with pytest.raises(InvalidInputError, match=message):
        build_conversation_payload(**kwargs)


def test_conversation_payload_at_the_limit() -> None:
    assert build_conversation_payload("x" * 91, "gpt-4o") == {
        "type": "UNIFY_CHAT_WITH_AI",
        "title": "x" * 91,
        "model": "gpt-4o",
    }


def test_route_table_has_no_api_prefix_for_models() -> None:
    assert ROUTES["models"].path == "/models"
    assert ROUTES["chat"].documented and not ROUTES["conversation_delete"].documented
    with pytest.raises(InvalidInputError):
        ROUTES["conversation_get"].format(conversation_id="../x/y")


# -- responses --------------------------------------------------------------------------

RECORD = {
    "aiRecord": {
        "uuid": "120qae97",
        "model": "gpt-4o",
        "type": "UNIFY_CHAT_WITH_AI",
        "metadata": None,
        "conversationId": "conv-1",
        "status": "SUCCESS",
        "createdAt": "2026-05-07T10:01:00Z",
        "teamUser": {"role": "ADMIN"},
        "aiRecordDetail": {
            "promptObject": {"prompt": "Test"},
            "resultObject": ["This is a test response."],
        },
        "additionalData": None,
    }
}


def test_parse_record_reads_the_documented_shape_and_keeps_extras() -> None:
    record = parse_record(RECORD)
    assert record.text == "This is a test response."
    assert record.uuid == "120qae97"
    assert record.conversation_id == "conv-1"
    assert not record.failed
    assert record.model_extra is not None
    assert record.model_extra["teamUser"] == {"role": "ADMIN"}


def test_parse_record_accepts_the_docs_success_data_variant() -> None:
    record = parse_record({"success": True, "data": {"resultObject": ["images/a.png"]}})
    assert record.result_strings == ["images/a.png"]


@pytest.mark.parametrize(
    "payload", [{}, {"aiRecord": "x"}, [], "text", {"aiRecord": {"aiRecordDetail": 5}}]
)
def test_unusable_records_raise_response_error(payload) -> None:
    with pytest.raises(ResponseError):
        parse_record(payload)


def test_failed_record() -> None:
    record = parse_record(
        {"aiRecord": {"status": "FAILED", "aiRecordDetail": {"errorMessage": "NSFW prompt"}}}
    )
    assert record.failed
    assert record.failure_message == "NSFW prompt"


@pytest.mark.parametrize(
    ("result", "strings"),
    [
        (["a", "b"], ["a", "b"]),
        ("bare", ["bare"]),
        (None, []),
        ([1, "x"], ["x"]),
        ({"text": "x"}, []),
    ],
)
def test_result_strings_accept_list_or_bare_string(result, strings) -> None:
    assert (
        AIRecord.model_validate({"aiRecordDetail": {"resultObject": result}}).result_strings
        == strings
    )


@pytest.mark.parametrize(
    ("metadata", "usage"),
    [
        (None, None),
        ({}, None),
        ({"inputToken": 0, "outputToken": 0, "totalToken": 0}, None),  # zeros are "not reported"
        ({"inputToken": 12, "outputToken": 30, "totalToken": 42}, (12, 30, 42)),
        ({"inputToken": 12, "outputToken": 30}, (12, 30, 42)),
        # Spellings no source reports are not guessed at.
        ({"usage": {"inputToken": 1, "outputToken": 2}}, None),
        ({"input_tokens": 1, "output_tokens": 2}, None),
        ({"inputToken": "12", "outputToken": 3}, None),
        ({"messageGroup": "1727596968593_71"}, None),
    ],
)
def test_token_usage_only_when_really_reported(metadata, usage) -> None:
    assert token_usage_from_metadata(metadata) == usage


UPLOAD = {
    "asset": {
        "fieldname": "asset",
        "originalname": "example.png",
        "mimetype": "image/png",
        "size": 12368,
        "key": "images/2024_09_30_13_38_59_100_example.png",
        "location": "https://asset.1min.ai.s3.us-east-1.amazonaws.com/images/2024_09_30_13_38_59_100_example.png",
    },
    "fileContent": {
        "uuid": "26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee",
        "path": "images/2024_09_30_13_38_59_100_example.png",
        "type": "png",
        "name": "2024_09_30_13_38_59_100_example.png",
        "content": "",
        "status": "ACTIVE",
        "metadata": {"token": 0, "character": 0},
        "createdAt": "2024-09-30T06:39:00.540Z",
    },
}


def test_parse_uploaded_asset() -> None:
    asset = parse_uploaded_asset(UPLOAD)
    assert asset.path == "images/2024_09_30_13_38_59_100_example.png"
    assert asset.file_id == "26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee"
    assert asset.mime_type == "image/png"


def test_upload_without_path_or_key_is_a_response_error() -> None:
    with pytest.raises(ResponseError):
        parse_uploaded_asset({"foo": 1})
    with pytest.raises(ResponseError):
        _ = parse_uploaded_asset({"fileContent": {"uuid": "u"}}).path


FIXTURE_THREAD = {
    "conversation": {
        "uuid": "c-1",
        "title": "Test",
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}],
    }
}
WEBAPP_THREAD = {
    "conversation": {"uuid": "c-1", "title": "Test", "model": "gpt-4o"},
    "messageList": [
        {"role": "USER", "content": "Hello", "aiRecordId": "r-1"},
        {
            "role": "gpt-4o",
            "content": "Hi!",
            "aiRecordId": "r-1",
            "credit": 12.5,
            "executionTime": 900,
        },
    ],
}


@pytest.mark.parametrize("payload", [FIXTURE_THREAD, WEBAPP_THREAD])
def test_both_thread_shapes_give_the_same_turns(payload) -> None:
    conversation = parse_conversation(payload)
    assert conversation.uuid == "c-1"
    assert [(m.role, m.content) for m in conversation.messages] == [
        ("user", "Hello"),
        ("assistant", "Hi!"),
    ]


def test_webapp_roles_keep_the_model_and_ids() -> None:
    assistant = parse_conversation(WEBAPP_THREAD).messages[1]
    assert assistant.model == "gpt-4o"
    assert assistant.ai_record_id == "r-1"
    assert assistant.credit == 12.5


@pytest.mark.parametrize(
    "payload",
    [
        {"conversations": [{"uuid": "a"}, {"uuid": "b"}]},
        {"conversationList": [{"uuid": "a"}, {"uuid": "b"}]},
        [{"uuid": "a"}, {"uuid": "b"}],
    ],
)
def test_conversation_lists_in_every_shape(payload) -> None:
    assert [c.uuid for c in parse_conversation_list(payload)] == ["a", "b"]


def test_conversation_lists_in_an_unknown_shape_are_refused() -> None:
    # "data" wraps results only on a docs page the sources call a docs error
    # (wire.md#variator-response-envelope).
    with pytest.raises(ResponseError, match="unknown shape"):
        parse_conversation_list({"data": [{"uuid": "a"}]})
    with pytest.raises(ResponseError, match="not a list"):
        parse_conversation_list("a")


def test_model_catalog() -> None:
    catalog = parse_model_catalog(
        {
            "models": [
                {
                    "modelId": "qwen3-vl-plus",
                    "provider": "alibaba",
                    "creditMetadata": {"INPUT": 0.6, "CONTEXT": 262144, "MAX_OUTPUT_TOKEN": 32768},
                    "features": ["CHAT_WITH_IMAGE", "UNIFY_CHAT_WITH_AI"],
                    "modality": {"INPUT": ["text", "image"], "OUTPUT": ["text"]},
                },
                {"modelId": "tts-1", "creditMetadata": {"ALL": 10}, "modality": None},
                {"name": "no id: skipped"},
            ],
            "total": 3,
        }
    )
    assert catalog.ids == ["qwen3-vl-plus", "tts-1"]
    vision = catalog.get("qwen3-vl-plus")
    assert vision is not None
    assert vision.vision
    assert vision.context_window == 262144
    assert vision.max_output_tokens == 32768
    tts = catalog.get("tts-1")
    assert tts is not None
    assert not tts.vision


def test_empty_catalog_is_fine() -> None:
    assert parse_model_catalog({"models": [], "total": 0}).ids == []


# -- uploads and downloads ---------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.mark.parametrize(
    ("content", "filename", "mime", "expected"),
    [
        (PNG, "cat.png", None, ("cat.png", "image/png")),
        (PNG, None, None, ("upload.png", "image/png")),
        (b"%PDF-1.7 ...", None, None, ("upload.pdf", "application/pdf")),
        (b"RIFF\0\0\0\0WAVEfmt ", None, None, ("upload.wav", "audio/wav")),
        (b"data", "notes", "text/plain", ("notes.txt", "text/plain")),
        (b"data", "/tmp/dir/report.pdf", None, ("report.pdf", "application/pdf")),
    ],
)
def test_multipart_names_and_types(content, filename, mime, expected) -> None:
    part = multipart_for(content, filename=filename, mime_type=mime)
    assert part.field_name == "asset"
    assert (part.filename, part.content_type) == expected


@pytest.mark.parametrize(
    ("content", "filename"), [(b"", "a.png"), (b"mystery bytes", None), (b"x", "noext")]
)
def test_uploads_of_unknown_type_are_refused(content, filename) -> None:
    with pytest.raises(InvalidInputError):
        multipart_for(content, filename=filename, mime_type=None)


def test_sniff_mime_type() -> None:
    assert sniff_mime_type(PNG) == "image/png"
    assert sniff_mime_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_mime_type(b"plain") is None


def test_download_urls_prefer_temporary_url() -> None:
    record = AIRecord.model_validate(
        {
            "temporaryUrl": "https://s3/x?sig=1",
            "aiRecordDetail": {"resultObject": ["images/a b.png", "images/c.png"]},
        }
    )
    base = "https://asset.1min.ai"
    assert download_urls(record, base) == [
        "https://s3/x?sig=1",
        "https://asset.1min.ai/images/a%20b.png",
    ]
    assert download_urls(record, base, index=1) == ["https://asset.1min.ai/images/c.png"]
    assert download_urls("https://cdn/x.png", base) == ["https://cdn/x.png"]
    assert download_urls("images/c.png", base + "/") == ["https://asset.1min.ai/images/c.png"]
    with pytest.raises(InvalidInputError):
        download_urls(record, base, index=2)
