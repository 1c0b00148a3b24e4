"""LangChain's standard tool integration suite, unmodified, for every tool: against the
emulator by default, against api.1min.ai when ``ONEMINAI_LIVE=1`` (then the tools run with
their default parameters, and the key comes from the environment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests

from langchain_oneminai.emulator import OneMinAIEmulator
from langchain_oneminai.emulator._media import render_png, render_wav
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
from tests.conftest import LIVE


class _Target:
    """The emulator (reset per test), or nothing when live; input files in ``tmp_path``."""

    _emulator: OneMinAIEmulator | None = None
    _files: Path | None = None

    @pytest.fixture(autouse=True)
    def _target(self, request: pytest.FixtureRequest, tmp_path: Path) -> None:
        if not LIVE:
            emulator: OneMinAIEmulator = request.getfixturevalue("emulator_server")
            emulator.reset()
            self._emulator = emulator
        (tmp_path / "apple.png").write_bytes(render_png("A red apple on a white table", 256, 256))
        (tmp_path / "memo.wav").write_bytes(render_wav("Hello from LangChain."))
        self._files = tmp_path

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        files = {"root_dir": str(self._files)}  # the one directory the tools may read
        if LIVE or self._emulator is None:
            return files
        return {
            **files,
            "api_key": self._emulator.api_key,
            "base_url": self._emulator.base_url,
            "asset_base_url": self._emulator.asset_base_url,
        }

    def _file(self, name: str) -> str:
        assert self._files is not None
        return str(self._files / name)


class TestOneMinAIImageToolIntegration(_Target, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIImageTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "A red apple on a white table"}


class TestOneMinAIImageEditToolIntegration(_Target, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIImageEditTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"image": self._file("apple.png"), "prompt": "Make the apple green"}


class TestOneMinAITextToSpeechToolIntegration(_Target, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAITextToSpeechTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"text": "Hello from LangChain."}


class TestOneMinAISpeechToTextToolIntegration(_Target, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAISpeechToTextTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"audio": self._file("memo.wav")}


# -- the feature tools: one unmodified suite each, on files in tmp_path ----------------------

FEATURE_TOOL_EXAMPLES: dict[type[BaseTool], dict[str, Any]] = {
    OneMinAIVideoTool: {"prompt": "A paper boat drifting down a rainy street"},
    OneMinAIMusicTool: {"prompt": "calm piano over soft rain"},
    OneMinAISoundEffectTool: {"prompt": "a door creaking open", "duration": 3},
    OneMinAIAudioTranslatorTool: {"audio": "memo.wav"},
    OneMinAIVoiceChangerTool: {"audio": "memo.wav", "voice_id": "JBFqnCBsd6RMkjVDRZzb"},
    OneMinAIVoiceCloneTool: {"sample": "memo.wav", "text": "Welcome to the show."},
    OneMinAIVoiceDesignTool: {"description": "a warm, raspy pirate", "text": "Ahoy there!"},
    OneMinAIYouTubeTool: {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
    OneMinAIWritingTool: {"task": "summarize", "text": "LangChain helps build LLM apps."},
    OneMinAIContentGeneratorTool: {"kind": "linkedin_post", "brief": "We shipped v2 today"},
    OneMinAICodeTool: {"prompt": "A Python function that adds two numbers"},
    OneMinAIBackgroundRemoverTool: {"image": "apple.png"},
    OneMinAIBackgroundReplacerTool: {"image": "apple.png", "prompt": "a sunny beach"},
    OneMinAIImageUpscalerTool: {"image": "apple.png"},
    OneMinAIImageToPromptTool: {"image": "apple.png"},
    OneMinAIObjectRemoverTool: {"image": "apple.png", "mask": "mask.png"},
    OneMinAIImageExtenderTool: {"image": "apple.png", "right": 128},
    OneMinAIInpaintingTool: {"image": "apple.png", "mask": "mask.png", "prompt": "a pear"},
    OneMinAISearchReplaceTool: {"image": "apple.png", "search": "the apple", "prompt": "a pear"},
    OneMinAISketchToImageTool: {"image": "apple.png", "prompt": "a watercolour apple"},
    OneMinAIFaceSwapTool: {"image": "apple.png", "face": "mask.png"},
}
"""One valid call per feature tool; file names are relative to the tool's root_dir."""


def _integration_suite(tool: type[BaseTool], example: dict[str, Any]) -> type:
    class Suite(_Target, ToolsIntegrationTests):
        @property
        def tool_constructor(self) -> type[BaseTool]:
            return tool

        @property
        def tool_invoke_params_example(self) -> dict[str, Any]:
            assert self._files is not None
            (self._files / "mask.png").write_bytes(render_png("a mask", 256, 256))
            return example

    Suite.__name__ = Suite.__qualname__ = f"Test{tool.__name__}Integration"
    return Suite


for _tool, _example in FEATURE_TOOL_EXAMPLES.items():
    globals()[f"Test{_tool.__name__}Integration"] = _integration_suite(_tool, _example)


class TestOneMinAIFeatureToolIntegration(_Target, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return OneMinAIFeatureTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {
            **super().tool_constructor_params,
            "feature": "CONTENT_SHORTENER",
            "prompt_object": {"tone": "informative", "numberOfWord": 5},
        }

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "LangChain is a framework for building applications with LLMs."}
