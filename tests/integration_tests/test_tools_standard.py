"""LangChain's standard tool integration suite, unmodified, for each media tool: against the
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
    OneMinAIImageEditTool,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
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
