"""LangChain integration for 1min.ai: chat models, media tools, conversations, and an emulator.

The emulator (``langchain_oneminai.emulator``) is not imported here, so importing the
package stays light; import it explicitly when you need it.
"""

from langchain_oneminai._version import __version__
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
    OneMinAIImageEditTool,
    OneMinAIImageTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIToolkit,
)

__all__ = [
    "ChatOneMinAI",
    "OneMinAIChatMessageHistory",
    "OneMinAIClient",
    "OneMinAIConversationLoader",
    "OneMinAIError",
    "OneMinAIHistoryWarning",
    "OneMinAIImageEditTool",
    "OneMinAIImageTool",
    "OneMinAISpeechToTextTool",
    "OneMinAITextToSpeechTool",
    "OneMinAIToolkit",
    "__version__",
    "configurable_conversation",
    "with_oneminai_history",
]
