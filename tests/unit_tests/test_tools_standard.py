"""LangChain's standard tool unit suite, unmodified, for each media tool (no network)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from langchain_tests.unit_tests import ToolsUnitTests

from langchain_oneminai.tools import (
    OneMinAIImageEditTool,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
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
