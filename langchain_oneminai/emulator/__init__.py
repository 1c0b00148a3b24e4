"""A local emulator of the 1min.ai developer API, for offline development, demos and tests.

``OneMinAIEmulator`` is a real HTTP server on loopback that speaks the 1min.ai wire format;
run it from Python (``with OneMinAIEmulator() as emu: ...``) or from a shell
(``python -m langchain_oneminai.emulator``). It stands alone: it imports nothing of
``langchain_oneminai`` outside this package and never loads langchain-core. It keeps its own
copy of every wire fact (paths, limits, conversation types), so a wrong constant in the client
cannot agree with itself in a test; what it shares with the client are two data files both read
by path: the model catalog (``langchain_oneminai/_data/models.json``) and the feature table
(``langchain_oneminai/_data/features.json``: each feature's fields, asset inputs and result kind).

Chat requests no script answers go to a brain: the deterministic built-in one, or any callable
passed as ``OneMinAIEmulator(brain=...)`` (see ``BrainRequest``).
"""

from langchain_oneminai.emulator._server import OneMinAIEmulator
from langchain_oneminai.emulator._types import (
    Brain,
    BrainReply,
    BrainRequest,
    EmulatorSettings,
    Fault,
    FormPart,
    RecordedRequest,
    ScriptedReply,
)

__all__ = [
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
