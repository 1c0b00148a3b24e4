"""LangChain's standard integration suite, unmodified: against the emulator by default, against
api.1min.ai when ``ONEMINAI_LIVE=1`` and ``ONEMINAI_API_KEY`` are set.

Capability flags are honest for what the target can show:

* usage metadata: 1min.ai reports no real token counts (wire.md#credits-and-usage), so off everywhere;
* image / PDF inputs: the standard tests download their sample files from the internet,
  so they run live only (the emulator tests in ``test_chat_models.py`` cover uploads offline);
* tool calling and structured output: the emulator's brain never chooses a tool or writes
  JSON on its own (it is not a language model), so those suites run live only; offline they
  are covered by scripted replies in ``test_tool_calling.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests

from langchain_oneminai import ChatOneMinAI
from langchain_oneminai.emulator import OneMinAIEmulator
from tests.conftest import LIVE

LIVE_MODEL = os.environ.get("ONEMINAI_LIVE_MODEL", "gpt-4o-mini")
LIVE_OVERRIDE_MODEL = os.environ.get("ONEMINAI_LIVE_OVERRIDE_MODEL", "gpt-4.1-nano")


class TestChatOneMinAIIntegration(ChatModelIntegrationTests):
    _emulator: OneMinAIEmulator | None = None

    @pytest.fixture(autouse=True)
    def _target(self, request: pytest.FixtureRequest) -> None:
        if not LIVE:
            emulator: OneMinAIEmulator = request.getfixturevalue("emulator_server")
            emulator.reset()
            self._emulator = emulator

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatOneMinAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        if LIVE or self._emulator is None:
            return {"model": LIVE_MODEL}
        return {
            "model": "gpt-4o-mini",
            "api_key": self._emulator.api_key,
            "base_url": self._emulator.base_url,
        }

    @property
    def model_override_value(self) -> str:
        return LIVE_OVERRIDE_MODEL if LIVE else "gpt-4o"

    @property
    def returns_usage_metadata(self) -> bool:
        return False

    @property
    def supports_image_inputs(self) -> bool:
        return LIVE

    @property
    def supports_image_urls(self) -> bool:
        return LIVE

    @property
    def supports_pdf_inputs(self) -> bool:
        return LIVE

    @property
    def has_tool_calling(self) -> bool:
        return LIVE and super().has_tool_calling

    @property
    def has_structured_output(self) -> bool:
        return LIVE and super().has_structured_output
