"""The public names, pinned: adding, renaming or dropping one is a decision, made here on purpose.

Also the promises of the lazy root package: every name resolves, ``dir()`` lists them, an
unknown name is an ``AttributeError``, and importing the emulator needs no langchain-core.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

import langchain_oneminai
from langchain_oneminai import callbacks, emulator, errors, tools

TOP_LEVEL = [
    "ChatOneMinAI",
    "OneMinAIAudioTranslatorTool",
    "OneMinAIBackgroundRemoverTool",
    "OneMinAIBackgroundReplacerTool",
    "OneMinAIChatMessageHistory",
    "OneMinAIClient",
    "OneMinAICodeTool",
    "OneMinAIContentGeneratorTool",
    "OneMinAIConversationLoader",
    "OneMinAIError",
    "OneMinAIFaceSwapTool",
    "OneMinAIFeatureTool",
    "OneMinAIHistoryWarning",
    "OneMinAIImageEditTool",
    "OneMinAIImageExtenderTool",
    "OneMinAIImageToPromptTool",
    "OneMinAIImageTool",
    "OneMinAIImageUpscalerTool",
    "OneMinAIInpaintingTool",
    "OneMinAIMusicTool",
    "OneMinAIObjectRemoverTool",
    "OneMinAISearchReplaceTool",
    "OneMinAISketchToImageTool",
    "OneMinAISoundEffectTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "OneMinAIVideoTool",
    "OneMinAIVoiceChangerTool",
    "OneMinAIVoiceCloneTool",
    "OneMinAIVoiceDesignTool",
    "OneMinAIWritingTool",
    "OneMinAIYouTubeTool",
    "__version__",
    "configurable_conversation",
    "get_oneminai_callback",
    "with_oneminai_history",
]

ERRORS = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CreditBudgetExceededError",
    "GenerationFailedError",
    "InsufficientCreditsError",
    "InvalidInputError",
    "MissingAPIKeyError",
    "NotFoundError",
    "OneMinAIError",
    "OneMinAIInsecureTransportWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "URLNotAllowedError",
    "UnexpectedRedirectError",
    "UnknownArgumentError",
    "UnsupportedModelError",
]

EMULATOR = [
    "Brain",
    "BrainReply",
    "BrainRequest",
    "EmulatorSettings",
    "Fault",
    "FormPart",
    "OneMinAIEmulator",
    "RecordedRequest",
    "ScriptedReply",
]

CALLBACKS = ["CreditMeter", "Usage", "get_oneminai_callback"]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (langchain_oneminai, TOP_LEVEL),
        (errors, ERRORS),
        (emulator, EMULATOR),
        (callbacks, CALLBACKS),
    ],
    ids=["top-level", "errors", "emulator", "callbacks"],
)
def test_the_public_names_are_these(module: object, expected: list[str]) -> None:
    exported = list(getattr(module, "__all__", []))
    assert sorted(exported) == sorted(expected)
    for name in exported:
        assert getattr(module, name) is not None, name


def test_every_tool_class_of_the_tools_module_is_exported() -> None:
    from langchain_core.tools import BaseTool, BaseToolkit

    public = {
        name
        for name, value in vars(tools).items()
        if isinstance(value, type)
        and issubclass(value, BaseTool | BaseToolkit)
        and name.startswith("OneMinAI")  # the concrete tools (not the MediaTool template)
    }
    assert public <= set(tools.__all__)
    top_level_tools = {name for name in TOP_LEVEL if name.endswith(("Tool", "Toolkit"))}
    assert top_level_tools == public  # every tool is importable from the package root


def test_every_error_descends_from_the_root_and_is_documented() -> None:
    for name in ERRORS:
        value = getattr(errors, name)
        if name == "OneMinAIInsecureTransportWarning":
            assert issubclass(value, UserWarning)
            continue
        assert issubclass(value, errors.OneMinAIError), name
        assert name in (errors.__doc__ or ""), f"{name} is missing from the errors tree"


def test_the_lazy_root_resolves_lists_and_refuses() -> None:
    assert sorted(dir(langchain_oneminai)) == sorted(TOP_LEVEL)
    with pytest.raises(AttributeError, match="no attribute 'ChatOneMinAl'"):
        langchain_oneminai.ChatOneMinAl  # noqa: B018 - a lookalike name, on purpose
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from langchain_oneminai import ChatOneMinAI, get_oneminai_callback  # noqa: F401


def test_the_emulator_imports_without_langchain_core() -> None:
    code = (
        "import sys, langchain_oneminai.emulator\n"
        "print(sorted(m for m in sys.modules if m.startswith(('langchain_core', 'pydantic'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
