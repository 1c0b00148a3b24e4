"""The local model as the emulator's "brain": the emulated side of the side-by-side eval.

``OneMinAIEmulator(brain=make_llama_brain(model))`` answers every chat request with the real
model instead of canned text, so ``ChatOneMinAI`` - its prompt protocol for tools, its parser,
its repair re-prompt - runs end to end against a real instruct model. The brain sees exactly what
1min.ai would: one prompt string (the package's own rendering of system prompt, history, tools
and instructions) plus the server-side conversation's earlier turns. So it applies the model's
chat template with **no** tools: the prompt is one user message, the history earlier
user/assistant turns.

The contract (``BrainRequest`` will live in ``langchain_oneminai.emulator``; anything with these
attributes works)::

    model: str  # the model id the request named
    prompt: str  # promptObject.prompt
    history: tuple[tuple[str, str], ...]  # earlier (prompt, reply) turns, oldest first
    images: tuple[str, ...]
    files: tuple[str, ...]
    stream: bool  # whether the client asked for an SSE stream

and the brain returns ``str`` (``stream`` false) or an iterator of text chunks (``stream`` true).
``brain.usage`` counts requests and prompt tokens for the emulated side; the local model's own
``usage`` counts everything run on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from evals.local_llm import LocalModel, Usage

if TYPE_CHECKING:
    from llama_cpp import Llama


class BrainRequestLike(Protocol):
    """The attributes of the emulator's ``BrainRequest`` that the brain reads."""

    @property
    def model(self) -> str:
        """The model id the request named."""

    @property
    def prompt(self) -> str:
        """The whole rendered prompt."""

    @property
    def history(self) -> Sequence[tuple[str, str]]:
        """Earlier ``(prompt, reply)`` turns of the server-side conversation, oldest first."""

    @property
    def stream(self) -> bool:
        """Whether the client asked for an SSE stream."""


class LlamaBrain:
    """A callable emulator brain backed by a :class:`~evals.local_llm.LocalModel`.

    Attributes:
        model: the local model.
        max_tokens: the cap on every reply.
        usage: requests, prompt tokens (in full and as evaluated), completion tokens and seconds
            of the requests this brain served.
        requests: the models named by the requests served, in order (for assertions).
        transcript: with ``keep_transcript``, every ``(prompt, reply)`` served, in order (a
            streamed reply is recorded once its stream is exhausted).
    """

    def __init__(
        self, model: LocalModel, *, max_tokens: int = 512, keep_transcript: bool = False
    ) -> None:
        """Serve requests with ``model``; ``max_tokens`` caps each reply."""
        self.model = model
        self.max_tokens = max_tokens
        self.keep_transcript = keep_transcript
        self.usage = Usage()
        self.requests: list[str] = []
        self.transcript: list[tuple[str, str]] = []

    def messages(self, request: BrainRequestLike) -> list[dict[str, Any]]:
        """The chat the model sees: history as user/assistant turns, then the prompt."""
        messages: list[dict[str, Any]] = []
        for prompt, reply in request.history:
            messages.append({"role": "user", "content": prompt})
            messages.append({"role": "assistant", "content": reply})
        messages.append({"role": "user", "content": request.prompt})
        return messages

    def __call__(self, request: BrainRequestLike) -> str | Iterator[str]:
        """Answer one request: the whole reply, or its chunks when ``request.stream``."""
        self.requests.append(request.model)
        prompt = self.model.render(self.messages(request), tools=None)
        if getattr(request, "stream", False):
            return self._stream(request.prompt, prompt)
        completion = self.model.complete(prompt, max_tokens=self.max_tokens)
        self.usage.add(completion.usage)
        if self.keep_transcript:
            self.transcript.append((request.prompt, completion.text))
        return completion.text

    def _stream(self, request_prompt: str, prompt: str) -> Iterator[str]:
        pieces: list[str] = []
        for piece in self.model.stream(prompt, max_tokens=self.max_tokens, usage_sink=self.usage):
            pieces.append(piece)
            yield piece
        if self.keep_transcript:
            self.transcript.append((request_prompt, "".join(pieces)))


def make_llama_brain(
    llm: LocalModel | Llama, *, max_tokens: int = 512, keep_transcript: bool = False
) -> LlamaBrain:
    """An emulator brain for ``OneMinAIEmulator(brain=...)`` backed by a local model.

    Args:
        llm: a :class:`~evals.local_llm.LocalModel`, or a loaded ``llama_cpp.Llama`` (wrapped).
        max_tokens: the cap on each reply.
        keep_transcript: record every ``(prompt, reply)`` in ``brain.transcript``.
    """
    model = llm if isinstance(llm, LocalModel) else LocalModel(llm)
    return LlamaBrain(model, max_tokens=max_tokens, keep_transcript=keep_transcript)
