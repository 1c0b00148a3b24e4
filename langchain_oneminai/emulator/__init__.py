"""A local emulator of the 1min.ai developer API, for offline development, demos and tests.

``OneMinAIEmulator`` is a real HTTP server on loopback that speaks the 1min.ai wire format;
run it from Python (``with OneMinAIEmulator() as emu: ...``) or from a shell
(``python -m langchain_oneminai.emulator``). It is never imported by ``langchain_oneminai``,
and it imports nothing of the client either: it keeps its own copy of every wire fact (paths,
limits, conversation types), so a wrong constant in the client cannot agree with itself in a test.
"""

from langchain_oneminai.emulator._server import OneMinAIEmulator
from langchain_oneminai.emulator._types import (
    EmulatorSettings,
    Fault,
    FormPart,
    RecordedRequest,
    ScriptedReply,
)

__all__ = [
    "EmulatorSettings",
    "Fault",
    "FormPart",
    "OneMinAIEmulator",
    "RecordedRequest",
    "ScriptedReply",
]
