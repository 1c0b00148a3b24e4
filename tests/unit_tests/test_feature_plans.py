"""The pure parts of the feature tools, as tables: the checks against the feature table, the
plans (what a call sends, its timeout), the generic tool's defaults and result kinds, the
toolkit's selection and the CLI's --set/--file parsing. No network."""

from __future__ import annotations

from typing import Any

import pytest

from langchain_oneminai._cli._features import parse_fields, parse_files, parse_value
from langchain_oneminai._media import _plans as plans
from langchain_oneminai._media import _text_plans as text_plans
from langchain_oneminai._media._feature_schemas import (
    CodeInput,
    MusicInput,
    VideoInput,
    WritingInput,
)
from langchain_oneminai._media._features import checked_prompt_object
from langchain_oneminai._media._generic import feature_defaults, feature_timeout
from langchain_oneminai._media._params import check_model
from langchain_oneminai._media._results import result_kind
from langchain_oneminai._wire import AIRecord
from langchain_oneminai.errors import InvalidInputError
from langchain_oneminai.tools import TOOL_GROUPS, OneMinAIVideoTool, select_tools

# -- the table's checks ---------------------------------------------------------------------


def test_enum_values_take_their_documented_case() -> None:
    body = checked_prompt_object(
        "BACKGROUND_REMOVER", "stable-image", {"output_format": "PNG"}, inputs=["imageUrl"]
    )
    assert body == {"output_format": "png"}


def test_numbers_are_not_booleans() -> None:
    with pytest.raises(InvalidInputError, match="takes loudness as a number; got True"):
        checked_prompt_object(
            "VOICE_DESIGN",
            "elevenlabs-voice-design",
            {"voice_description": "x", "text": "y", "loudness": True},
        )


def test_nested_fields_are_checked() -> None:
    with pytest.raises(InvalidInputError, match=r"voice_settings\.similarity_boost from 0 to 1"):
        checked_prompt_object(
            "VOICE_CLONING",
            "elevenlabs-voice-cloning",
            {"text": "x", "voice_settings": {"similarity_boost": 3}},
            inputs=["audioUrl"],
        )


def test_undocumented_models_take_any_extras() -> None:
    body = checked_prompt_object(
        "BACKGROUND_REMOVER", "clipdrop", {}, extras={"anything": 1}, inputs=["imageUrl"]
    )
    assert body == {"anything": 1}


def test_required_fields_take_the_documented_default_then_the_fill() -> None:
    body = checked_prompt_object(
        "TEXT_TO_VIDEO", "hailuo", {"prompt": "x"}, fills={"mode": "unused"}
    )
    assert body == {"prompt": "x", "taskType": "t2v-02"}
    with pytest.raises(InvalidInputError, match="kling \\(TEXT_TO_VIDEO\\) needs duration"):
        checked_prompt_object("TEXT_TO_VIDEO", "kling", {"prompt": "x"}, fills={"mode": "std"})


def test_values_that_are_not_json_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="must be JSON values"):
        checked_prompt_object("CODE_GENERATOR", "gpt-4o", {"prompt": object()})


# -- plans -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "image", "feature"),
    [
        ("veo3-video", None, "TEXT_TO_VIDEO"),
        ("veo3-video", "images/a.png", "IMAGE_TO_VIDEO"),
        ("sora-2", "images/a.png", "TEXT_TO_VIDEO"),
        ("leonardo-motion", "images/a.png", "IMAGE_TO_VIDEO"),
    ],
)
def test_the_video_feature_follows_the_picture(model: str, image: str | None, feature: str) -> None:
    assert plans.video_feature(model, image) == feature


def test_long_generations_get_600_seconds() -> None:
    video = plans.video_call(VideoInput(prompt="x"), "veo3-video")
    music = plans.music_call(MusicInput(prompt="x"), "lyria-002")
    code = text_plans.code_call(CodeInput(prompt="x"), "gpt-4o")
    assert (video.timeout, music.timeout, code.timeout) == (600, 600, 300)
    assert (video.fetch, music.fetch, code.fetch) == ("video", "audio", None)
    assert (feature_timeout("IMAGE_TO_VIDEO"), feature_timeout("MUSIC_GENERATOR")) == (600, 600)
    assert feature_timeout("CONTENT_SHORTENER") == 300


def test_a_tools_timeout_beats_the_generation_default() -> None:
    assert OneMinAIVideoTool()._generation_timeout(600) == 600
    assert OneMinAIVideoTool(timeout=45)._generation_timeout(600) == 45


@pytest.mark.parametrize(
    ("task", "text", "words"),
    [
        ("shorten", "a b c d e f g", 4),
        ("expand", "a b c", 6),
        ("rewrite", "a b c", 3),
        ("shorten", "a", 1),
    ],
)
def test_writing_lengths_default_from_the_text(task: str, text: str, words: int) -> None:
    call = text_plans.writing_call(
        WritingInput.model_validate({"task": task, "text": text}), "gpt-4o-mini"
    )
    assert call.prompt_object["numberOfWord"] == words
    assert call.conversation_id == call.feature


def test_every_writing_task_and_content_kind_is_a_typed_feature() -> None:
    from langchain_oneminai._media._features import feature_spec

    for feature in [*text_plans.WRITING_FEATURES.values(), *text_plans.CONTENT_FEATURES.values()]:
        spec = feature_spec(feature)
        assert spec is not None and spec.verdict == "typed" and spec.result == "text"


# -- the generic tool --------------------------------------------------------------------------


def test_the_generic_defaults_come_from_the_table() -> None:
    out = feature_defaults({"feature": " sketch_to_image "})
    assert out["feature"] == "SKETCH_TO_IMAGE"
    assert out["model"] == "stable-image"
    assert out["conversation_id"] == "SKETCH_TO_IMAGE"
    assert out["file_fields"] == {"imageUrl": "image"}
    assert out["name"] == "oneminai_sketch_to_image"
    explicit = feature_defaults(
        {"feature": "CODE_GENERATOR", "conversation_id": None, "name": "code"}
    )
    assert explicit["conversation_id"] is None and explicit["name"] == "code"


def record(result: Any) -> AIRecord:
    return AIRecord.model_validate({"aiRecordDetail": {"resultObject": result}})


@pytest.mark.parametrize(
    ("result", "expected", "kind"),
    [
        (["images/a.png"], "auto", "image"),
        (["videos/a.mp4"], "auto", "video"),
        (["audios/a.mp3"], "auto", "audio"),
        (["development/images/a"], "auto", "image"),
        (["https://cdn.example/model.glb?sig=1"], "auto", "3d"),
        (["assets/mesh.obj"], "auto", "3d"),
        (["images/a.png", "audios/b.wav"], "auto", "file"),
        (["A summary of the video."], "auto", None),
        (["images/a.png is shown"], "auto", None),
        ("plain text", "auto", None),
        ([], "auto", None),
        (["anything"], "video", "video"),
        (["images/a.png"], None, None),
    ],
)
def test_result_kinds(result: Any, expected: str | None, kind: str | None) -> None:
    assert result_kind(record(result), expected) == kind


@pytest.mark.parametrize(
    ("model", "catalog", "message"),
    [
        ("sora-3", ["sora-2", "sora-2-pro", "kling"], "Did you mean 'sora-2', 'sora-2-pro'?"),
        ("nothing-like-it", ["kling"], "Its models: kling. Nothing was sent."),
    ],
)
def test_check_model_refuses_what_the_catalog_lacks(
    model: str, catalog: list[str], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("?", r"\?").replace(".", r"\.")):
        check_model("TEXT_TO_VIDEO", model, catalog)


@pytest.mark.parametrize("catalog", [None, [], ["sora-3"]])
def test_check_model_lets_the_server_decide_without_a_catalog(catalog: list[str] | None) -> None:
    check_model("TEXT_TO_VIDEO", "sora-3", catalog)


# -- the toolkit -----------------------------------------------------------------------------


def test_toolkit_selection() -> None:
    assert select_tools(None, None) == list(TOOL_GROUPS["media"])
    assert [t.__name__ for t in select_tools("code", None)] == ["OneMinAICodeTool"]
    chosen = select_tools(["audio", "oneminai_video_generator"], "oneminai_text_to_speech")
    assert "OneMinAITextToSpeechTool" not in [t.__name__ for t in chosen]
    assert chosen[-1].__name__ == "OneMinAIVideoTool"
    assert len(select_tools("all", None)) == len(set(select_tools("all", None))) == 25
    with pytest.raises(InvalidInputError, match="'vdeo' is not a tool or group"):
        select_tools("vdeo", None)


# -- the CLI's parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("0.4", 0.4),
        ("true", True),
        ("[1, 2]", [1, 2]),
        ('"5"', "5"),
        ("8s", "8s"),
        ("", ""),
    ],
)
def test_set_values_are_json_when_they_parse(text: str, value: Any) -> None:
    assert parse_value(text) == value


def test_set_builds_nested_fields() -> None:
    assert parse_fields(["a=1", "s.x=0.5", "s.y=true", "text=a=b"]) == {
        "a": 1,
        "s": {"x": 0.5, "y": True},
        "text": "a=b",
    }
    for bad in (["a"], ["=1"], ["a.=1"], ["a=1", "a=2"], ["a=1", "a.b=2"]):
        with pytest.raises(InvalidInputError):
            parse_fields(bad)


def test_file_takes_a_field_or_the_one_file_field() -> None:
    assert parse_files(["photo.png"], {"imageUrl": "image"}) == [("imageUrl", "photo.png")]
    assert parse_files(["maskUrl=m.png", "dir/a=b.png"], {"imageUrl": "image"}) == [
        ("maskUrl", "m.png"),
        ("imageUrl", "dir/a=b.png"),
    ]
    with pytest.raises(InvalidInputError, match="Say which field"):
        parse_files(["photo.png"], {"imageUrl": "image", "maskUrl": "image"})
    with pytest.raises(InvalidInputError, match="given twice"):
        parse_files(["a.png", "imageUrl=b.png"], {"imageUrl": "image"})
