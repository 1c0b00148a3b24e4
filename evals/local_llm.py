"""The eval's one local model: loading, the GGUF's own chat template, greedy completion, usage.

Both sides of the side-by-side eval use this module: the native function-calling runner
(:mod:`evals.native`) and the emulator brain behind ``ChatOneMinAI`` (:mod:`evals.brain`), so
they share one loaded model, one prompt renderer and one way of counting tokens.

Generation is deterministic: temperature 0 (llama.cpp's greedy sampler), ``repeat_penalty`` 1,
a fixed seed. llama.cpp keeps the KV cache of the previous prompt; a request that shares a prefix
with it only evaluates the rest, which :class:`Usage` reports as ``evaluated_prompt_tokens``
(the wall-time cost here) next to ``prompt_tokens`` (what an API would bill).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import provision

if TYPE_CHECKING:
    from llama_cpp import Llama

DEFAULT_N_CTX = 8192
DEFAULT_THREADS = 2
DEFAULT_SEED = 0
#: Qwen2.5's end-of-turn and end-of-text markers: a completion never runs past either.
STOP_STRINGS: tuple[str, ...] = ("<|im_end|>", "<|endoftext|>")


class ContextOverflowError(ValueError):
    """The prompt plus the completion budget does not fit in the model's context window."""


@dataclass
class Usage:
    """What a sequence of completions cost.

    Attributes:
        requests: completions run (one per model call; a repair is another request).
        prompt_tokens: prompt tokens sent, counted in full each time (what an API bills).
        evaluated_prompt_tokens: prompt tokens the model actually evaluated after reusing the
            KV cache of the previous prompt's common prefix (what costs time here).
        completion_tokens: tokens generated.
        seconds: wall time spent inside the model.
    """

    requests: int = 0
    prompt_tokens: int = 0
    evaluated_prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def copy(self) -> Usage:
        """A snapshot of the counters."""
        return Usage(**{f.name: getattr(self, f.name) for f in fields(self)})

    def since(self, earlier: Usage) -> Usage:
        """The counters accumulated after the snapshot ``earlier``."""
        return Usage(
            **{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)}
        )

    def add(self, other: Usage) -> None:
        """Add ``other``'s counters to these."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, float]:
        """The counters as a plain dict (for JSON results)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Completion:
    """One finished completion."""

    text: str
    finish_reason: str
    usage: Usage


class LocalModel:
    """A loaded GGUF with its own chat template, greedy completions and a usage counter.

    Not safe for concurrent generation (llama.cpp has one KV cache): calls are serialised by a
    lock, which a streaming completion holds until it is exhausted or closed (a plain ``Lock``,
    not an ``RLock``, so a server may resume the stream from another thread).
    """

    def __init__(self, llm: Llama, *, seed: int = DEFAULT_SEED) -> None:
        """Wrap an already loaded ``llama_cpp.Llama``."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter  # noqa: PLC0415

        self.llm = llm
        self.seed = seed
        self.n_threads = int(llm.n_threads or DEFAULT_THREADS)
        self.usage = Usage()
        self._lock = threading.Lock()
        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise ValueError("the GGUF carries no tokenizer.chat_template")
        #: The model's own Jinja chat template, read from the GGUF metadata.
        self.chat_template: str = template
        # The same eos/bos strings Llama.__init__ hands its GGUF-template chat handler.
        eos_id, bos_id = llm.token_eos(), llm.token_bos()
        self.eos_token = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        self.bos_token = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        # llama-cpp-python's own formatter for GGUF templates (what create_chat_completion uses
        # when the GGUF has a template): sandboxed Jinja, trim/lstrip blocks, and a `tojson`
        # that matches Hugging Face transformers' (no HTML escaping).
        self._formatter = Jinja2ChatFormatter(
            template=template, eos_token=self.eos_token, bos_token=self.bos_token
        )

    @classmethod
    def load(
        cls,
        model_path: Path | str | None = None,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int = DEFAULT_THREADS,
        seed: int = DEFAULT_SEED,
        verbose: bool = False,
    ) -> LocalModel:
        """Load the provisioned GGUF (or ``model_path``) with llama.cpp on the CPU.

        Raises:
            evals.provision.ProvisionError: when the runtime or the model is not provisioned.
        """
        try:
            from llama_cpp import Llama  # noqa: PLC0415 - optional, provisioned on demand
        except ImportError as exc:
            raise provision.ProvisionError(
                "llama-cpp-python is not installed in this interpreter: run "
                "`python -m evals.provision` (or `make eval-tools`) first."
            ) from exc
        path = Path(model_path) if model_path is not None else provision.model_path()
        llm = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            n_batch=512,
            seed=seed,
            verbose=verbose,
        )
        return cls(llm, seed=seed)

    # ----------------------------------------------------------------------------------------

    @property
    def n_ctx(self) -> int:
        """The context window the model was loaded with."""
        return int(self.llm.n_ctx())

    def reset_cache(self) -> None:
        """Forget the KV cache, so that the next prompt is evaluated in full."""
        with self._lock:
            self.llm.reset()  # type: ignore[no-untyped-call]

    def render(
        self,
        messages: Sequence[Mapping[str, Any]],
        tools: Sequence[Mapping[str, Any]] | None = None,
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        """Render OpenAI-style ``messages`` (and ``tools``) with the GGUF's chat template."""
        self._formatter.add_generation_prompt = add_generation_prompt
        result = self._formatter(messages=list(messages), tools=list(tools) if tools else None)  # type: ignore[arg-type]
        return str(result.prompt)

    def tokenize(self, text: str) -> list[int]:
        """Tokens of ``text`` as the model sees a prompt (special tokens parsed, no BOS)."""
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def token_id(self, text: str) -> int | None:
        """The id of ``text`` when it is exactly one token (e.g. ``<tool_call>``), else None."""
        ids = self.tokenize(text)
        return ids[0] if len(ids) == 1 else None

    def _reused_prefix(self, tokens: Sequence[int]) -> int:
        cached = self.llm.input_ids[: self.llm.n_tokens].tolist()
        reused = 0
        for old, new in zip(cached, tokens, strict=False):
            if old != new:
                break
            reused += 1
        # llama.cpp re-evaluates the last token of a fully cached prompt to refresh the logits.
        return min(reused, len(tokens) - 1)

    def _prepare(self, prompt: str, max_tokens: int) -> tuple[list[int], int]:
        tokens = self.tokenize(prompt)
        if len(tokens) + max_tokens > self.n_ctx:
            raise ContextOverflowError(
                f"prompt of {len(tokens)} tokens + max_tokens {max_tokens} exceeds n_ctx "
                f"{self.n_ctx}"
            )
        return tokens, self._reused_prefix(tokens)

    def _kwargs(
        self, max_tokens: int, stop: Sequence[str] | None, logit_bias: Mapping[int, float] | None
    ) -> dict[str, Any]:
        return {
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "top_k": 1,
            "repeat_penalty": 1.0,
            "seed": self.seed,
            "stop": [*STOP_STRINGS, *(stop or ())],
            "logit_bias": dict(logit_bias) if logit_bias else None,
        }

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 512,
        stop: Sequence[str] | None = None,
        logit_bias: Mapping[int, float] | None = None,
    ) -> Completion:
        """Greedy completion of an already rendered prompt."""
        with self._lock:
            tokens, reused = self._prepare(prompt, max_tokens)
            started = time.perf_counter()
            response: Any = self.llm.create_completion(
                tokens, **self._kwargs(max_tokens, stop, logit_bias)
            )
            seconds = time.perf_counter() - started
            choice = response["choices"][0]
            usage = Usage(
                requests=1,
                prompt_tokens=len(tokens),
                evaluated_prompt_tokens=len(tokens) - reused,
                completion_tokens=int(response["usage"]["completion_tokens"]),
                seconds=seconds,
            )
            self.usage.add(usage)
            return Completion(str(choice["text"]), str(choice["finish_reason"]), usage)

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int = 512,
        stop: Sequence[str] | None = None,
        logit_bias: Mapping[int, float] | None = None,
        usage_sink: Usage | None = None,
    ) -> Iterator[str]:
        """Greedy completion, yielded as text chunks; counters are updated as it runs.

        ``usage_sink``, when given, receives the same counts as :attr:`usage`.
        """
        with self._lock:
            tokens, reused = self._prepare(prompt, max_tokens)
            usage = Usage(
                requests=1, prompt_tokens=len(tokens), evaluated_prompt_tokens=len(tokens) - reused
            )
            for sink in (self.usage, usage_sink):
                if sink is not None:
                    sink.add(usage)
            started = time.perf_counter()
            chunks: Any = self.llm.create_completion(
                tokens, stream=True, **self._kwargs(max_tokens, stop, logit_bias)
            )
            try:
                for chunk in chunks:
                    text = str(chunk["choices"][0]["text"])
                    for sink in (self.usage, usage_sink):
                        if sink is not None:
                            sink.completion_tokens += 1
                    if text:
                        yield text
            finally:
                elapsed = time.perf_counter() - started
                for sink in (self.usage, usage_sink):
                    if sink is not None:
                        sink.seconds += elapsed
