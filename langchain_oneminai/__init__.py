"""LangChain integration for 1min.ai: chat models, media tools, conversations, and an emulator.

The public names below are imported on first use (PEP 562), so that importing a subpackage
that needs none of them — ``langchain_oneminai.emulator`` above all, which must start without
langchain-core — costs nothing. ``from langchain_oneminai import ChatOneMinAI`` works as
always; the emulator itself is imported from ``langchain_oneminai.emulator``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from langchain_oneminai._version import __version__

if TYPE_CHECKING:
    from langchain_oneminai.callbacks import get_oneminai_callback
    from langchain_oneminai.chat_message_histories import (
        OneMinAIChatMessageHistory,
        OneMinAIHistoryWarning,
        configurable_conversation,
        with_oneminai_history,
    )
    from langchain_oneminai.chat_models import ChatOneMinAI
    from langchain_oneminai.client import OneMinAIClient
    from langchain_oneminai.document_loaders import OneMinAIConversationLoader
    from langchain_oneminai.errors import OneMinAIError
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
        OneMinAIToolkit,
        OneMinAIVideoTool,
        OneMinAIVoiceChangerTool,
        OneMinAIVoiceCloneTool,
        OneMinAIVoiceDesignTool,
        OneMinAIWritingTool,
        OneMinAIYouTubeTool,
    )

_EXPORTS = {
    "ChatOneMinAI": "langchain_oneminai.chat_models",
    "OneMinAIChatMessageHistory": "langchain_oneminai.chat_message_histories",
    "OneMinAIClient": "langchain_oneminai.client",
    "OneMinAIConversationLoader": "langchain_oneminai.document_loaders",
    "OneMinAIError": "langchain_oneminai.errors",
    "OneMinAIHistoryWarning": "langchain_oneminai.chat_message_histories",
    "OneMinAIAudioTranslatorTool": "langchain_oneminai.tools",
    "OneMinAIBackgroundRemoverTool": "langchain_oneminai.tools",
    "OneMinAIBackgroundReplacerTool": "langchain_oneminai.tools",
    "OneMinAICodeTool": "langchain_oneminai.tools",
    "OneMinAIContentGeneratorTool": "langchain_oneminai.tools",
    "OneMinAIFaceSwapTool": "langchain_oneminai.tools",
    "OneMinAIFeatureTool": "langchain_oneminai.tools",
    "OneMinAIImageEditTool": "langchain_oneminai.tools",
    "OneMinAIImageExtenderTool": "langchain_oneminai.tools",
    "OneMinAIImageToPromptTool": "langchain_oneminai.tools",
    "OneMinAIImageTool": "langchain_oneminai.tools",
    "OneMinAIImageUpscalerTool": "langchain_oneminai.tools",
    "OneMinAIInpaintingTool": "langchain_oneminai.tools",
    "OneMinAIMusicTool": "langchain_oneminai.tools",
    "OneMinAIObjectRemoverTool": "langchain_oneminai.tools",
    "OneMinAISearchReplaceTool": "langchain_oneminai.tools",
    "OneMinAISketchToImageTool": "langchain_oneminai.tools",
    "OneMinAISoundEffectTool": "langchain_oneminai.tools",
    "OneMinAISpeechToTextTool": "langchain_oneminai.tools",
    "OneMinAITextToSpeechTool": "langchain_oneminai.tools",
    "OneMinAIToolkit": "langchain_oneminai.tools",
    "OneMinAIVideoTool": "langchain_oneminai.tools",
    "OneMinAIVoiceChangerTool": "langchain_oneminai.tools",
    "OneMinAIVoiceCloneTool": "langchain_oneminai.tools",
    "OneMinAIVoiceDesignTool": "langchain_oneminai.tools",
    "OneMinAIWritingTool": "langchain_oneminai.tools",
    "OneMinAIYouTubeTool": "langchain_oneminai.tools",
    "configurable_conversation": "langchain_oneminai.chat_message_histories",
    "get_oneminai_callback": "langchain_oneminai.callbacks",
    "with_oneminai_history": "langchain_oneminai.chat_message_histories",
}
"""Public name -> the module that defines it."""

__all__ = [
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


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'langchain_oneminai' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
