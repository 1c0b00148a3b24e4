"""ChatOneMinAI's identity without any I/O: profile, tracing params, secrets, configuration."""

from __future__ import annotations

import json

import pytest
from langchain_core.load import dumpd

from langchain_oneminai import ChatOneMinAI


def test_profile_of_a_known_model_from_the_built_in_table() -> None:
    profile = ChatOneMinAI(model="qwen3-vl-plus").profile
    assert profile is not None
    assert profile["image_inputs"] is True
    assert profile["max_input_tokens"] == 262144
    assert profile["max_output_tokens"] == 32768
    assert profile["tool_calling"] is True
    assert profile["structured_output"] is True
    assert ChatOneMinAI(model="o3-mini").profile["image_inputs"] is False  # type: ignore[index]


def test_unknown_models_have_no_profile_and_are_not_refused() -> None:
    assert ChatOneMinAI(model="next-year-model").profile is None


def test_langsmith_params_follow_the_call() -> None:
    llm = ChatOneMinAI(model="gpt-4o-mini", temperature=0.3, max_tokens=50, stop=["END"])
    assert llm._get_ls_params() == {
        "ls_provider": "oneminai",
        "ls_model_name": "gpt-4o-mini",
        "ls_model_type": "chat",
        "ls_temperature": 0.3,
        "ls_max_tokens": 50,
        "ls_stop": ["END"],
    }
    assert llm._get_ls_params(model="claude-sonnet-4-6")["ls_model_name"] == "claude-sonnet-4-6"
    assert llm._llm_type == "oneminai-chat"


def test_the_key_is_a_secret_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    llm = ChatOneMinAI(api_key="sk-very-secret", conversation_id="c-1")
    for text in (
        repr(llm),
        str(llm),
        json.dumps(dumpd(llm)),
        repr(llm._identifying_params),
        repr(llm.asdict()),
    ):
        assert "sk-very-secret" not in text
    assert llm.lc_secrets == {"oneminai_api_key": "ONEMINAI_API_KEY"}
    assert llm._identifying_params == {"model_name": "gpt-4o-mini", "conversation_id": "c-1"}


def test_the_fallback_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONE_MIN_API_KEY", "from-the-other-name")
    llm = ChatOneMinAI()
    assert llm.oneminai_api_key is not None
    assert llm.oneminai_api_key.get_secret_value() == "from-the-other-name"


def test_versions_are_recorded_for_tracing() -> None:
    assert "langchain-oneminai" in ChatOneMinAI().metadata["lc_versions"]  # type: ignore[index]
