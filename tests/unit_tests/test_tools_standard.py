"""LangChain's standard tool unit suite, unmodified, for every tool (no network)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from langchain_tests.unit_tests import ToolsUnitTests

from langchain_oneminai.tools import (
    OneMinAIAudioTranslatorTool,
    OneMinAIBackgroundRemoverTool,
    OneMinAIBackgroundReplacerTool,
    OneMinAICodeTool,
    OneMinAIContentGeneratorTool,
    OneMinAIFaceSwapTool,
    OneMinAIFeatureTool,
    OneMinAIImageEditTool,
    OneMinAIImageExtenderTool,
    OneMinAIImageTool,
    OneMinAIImageToPromptTool,
    OneMinAIImageUpscalerTool,
    OneMinAIInpaintingTool,
    OneMinAIMusicTool,
    OneMinAIObjectRemoverTool,
    OneMinAISearchReplaceTool,
    OneMinAISketchToImageTool,
    OneMinAISoundEffectTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIVideoTool,
    OneMinAIVoiceChangerTool,
    OneMinAIVoiceCloneTool,
    OneMinAIVoiceDesignTool,
    OneMinAIWritingTool,
    OneMinAIYouTubeTool,
)

ENV = {
    "ONEMINAI_API_KEY": "key-from-env",
    "ONEMINAI_BASE_URL": "http://127.0.0.1:9",
    "ONEMINAI_ASSET_BASE_URL": "http://127.0.0.1:9/asset-host",
}
FROM_ENV = {
    "oneminai_api_key": "key-from-env",
    "base_url": "http://127.0.0.1:9",
    "asset_base_url": "http://127.0.0.1:9/asset-host",
}


class TestOneMinAIImageToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIImageTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "A lighthouse at dusk", "aspect_ratio": "16:9"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {"model": "dall-e-3"}, {**FROM_ENV, "model": "dall-e-3"}


class TestOneMinAIImageEditToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIImageEditTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"image": "images/2025_01_01_10_00_00_000_photo.png", "prompt": "Add a red hat"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {}, FROM_ENV


class TestOneMinAITextToSpeechToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAITextToSpeechTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {"timeout": 30.0, "max_retries": 0}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"text": "Hello from LangChain!", "voice": "nova", "speed": 1.25}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {}, FROM_ENV


class TestOneMinAISpeechToTextToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAISpeechToTextTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"audio": "audios/2025_02_20_16_17_35_429_memo.mp3", "language": "en-US"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return {"ONE_MIN_API_KEY": "legacy-key"}, {}, {"oneminai_api_key": "legacy-key"}


# -- the feature tools: the same unmodified suite, one subclass each ---------------------------

FEATURE_TOOL_EXAMPLES: dict[type[BaseTool], dict[str, Any]] = {
    OneMinAIVideoTool: {"prompt": "A paper boat on a rainy street", "duration": 8},
    OneMinAIMusicTool: {"prompt": "calm piano over soft rain"},
    OneMinAISoundEffectTool: {"prompt": "a door creaking open", "duration": 3},
    OneMinAIAudioTranslatorTool: {"audio": "audios/2025_02_20_16_17_35_429_memo.mp3"},
    OneMinAIVoiceChangerTool: {"audio": "audios/memo.mp3", "voice_id": "JBFqnCBsd6RMkjVDRZzb"},
    OneMinAIVoiceCloneTool: {"sample": "audios/memo.mp3", "text": "Welcome to the show."},
    OneMinAIVoiceDesignTool: {"description": "a warm pirate", "text": "Ahoy!"},
    OneMinAIYouTubeTool: {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
    OneMinAIWritingTool: {"task": "shorten", "text": "A long text to shorten.", "word_count": 3},
    OneMinAIContentGeneratorTool: {"kind": "x_tweet", "brief": "We shipped v2"},
    OneMinAICodeTool: {"prompt": "A Python function that adds two numbers"},
    OneMinAIBackgroundRemoverTool: {"image": "images/photo.png"},
    OneMinAIBackgroundReplacerTool: {"image": "images/photo.png", "prompt": "a beach"},
    OneMinAIImageUpscalerTool: {"image": "images/photo.png"},
    OneMinAIImageToPromptTool: {"image": "images/photo.png"},
    OneMinAIObjectRemoverTool: {"image": "images/photo.png", "mask": "images/mask.png"},
    OneMinAIImageExtenderTool: {"image": "images/photo.png", "left": 256},
    OneMinAIInpaintingTool: {"image": "images/p.png", "mask": "images/m.png", "prompt": "a hat"},
    OneMinAISearchReplaceTool: {"image": "images/p.png", "search": "the cup", "prompt": "a rose"},
    OneMinAISketchToImageTool: {"image": "images/sketch.png", "prompt": "a cottage"},
    OneMinAIFaceSwapTool: {"image": "images/astronaut.png", "face": "images/me.png"},
}
"""One valid call per feature tool (asset keys: no local files)."""


def _unit_suite(tool: type[BaseTool], example: dict[str, Any]) -> type:
    class Suite(ToolsUnitTests):
        @property
        def tool_constructor(self) -> type[BaseTool]:
            return tool

        @property
        def tool_invoke_params_example(self) -> dict[str, Any]:
            return example

        @property
        def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
            return ENV, {}, FROM_ENV

    Suite.__name__ = Suite.__qualname__ = f"Test{tool.__name__}Unit"
    return Suite


for _tool, _example in FEATURE_TOOL_EXAMPLES.items():
    globals()[f"Test{_tool.__name__}Unit"] = _unit_suite(_tool, _example)


class TestOneMinAIFeatureToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIFeatureTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {"feature": "VOICE_ISOLATOR", "file_fields": {"audioUrl": "audio"}}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"fields": {"audioUrl": "audios/interview.mp3"}}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {"feature": "VOICE_ISOLATOR"}, FROM_ENV
