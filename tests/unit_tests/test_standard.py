"""LangChain's standard unit suite, unmodified (no network: sockets are disabled)."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_tests.unit_tests import ChatModelUnitTests

from langchain_oneminai import ChatOneMinAI


class TestChatOneMinAIStandard(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatOneMinAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4o-mini"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        return (
            {
                "ONEMINAI_API_KEY": "key-from-env",
                "ONEMINAI_BASE_URL": "http://127.0.0.1:9",
                "ONEMINAI_ASSET_BASE_URL": "http://127.0.0.1:9/asset-host",
            },
            {"model": "claude-sonnet-4-6"},
            {
                "oneminai_api_key": "key-from-env",
                "base_url": "http://127.0.0.1:9",
                "asset_base_url": "http://127.0.0.1:9/asset-host",
                "model_name": "claude-sonnet-4-6",
            },
        )
