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

import hashlib
import json
import threading
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
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
        cached_requests: of ``requests``, how many were answered from the generation cache
            (:class:`GenerationCache`; their prompt was not evaluated: 0 evaluated tokens).
    """

    requests: int = 0
    prompt_tokens: int = 0
    evaluated_prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cached_requests: int = 0

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


class GenerationCache:
    """Finished greedy generations on disk, keyed by everything that determines them.

    With temperature 0 a completion is a function of the model, the runtime, the prompt tokens
    and the decoding options, so a repeated request may reuse it. The key is the sha256 of
    those plus a ``salt`` (the eval passes the model's sha256, the llama-cpp-python version and
    ``langchain-oneminai``'s version). Every generation is written; which ones are *read* back
    depends on ``reuse``:

    - ``"none"``: none, every request is generated;
    - ``"run"`` (the eval's default): only generations made earlier in this run, for a request
      repeated exactly (the ``stream`` twin of an ``invoke`` case sends the same prompt);
    - ``"all"``: any stored generation (``python -m evals --cached``: a fast rerun).

    ``hits`` counts the requests answered from the cache; the report states it.
    Files: ``<root>/<key[:2]>/<key>.json``.
    """

    def __init__(self, root: Path, *, salt: str, reuse: str = "run") -> None:
        """Cache under ``root``; ``reuse`` is ``"none"``, ``"run"`` or ``"all"``."""
        if reuse not in {"none", "run", "all"}:
            raise ValueError(f"reuse must be 'none', 'run' or 'all', not {reuse!r}")
        self.root = root
        self.salt = salt
        self.reuse = reuse
        self.hits = 0
        self.writes = 0
        self._written: set[str] = set()
        self._lock = threading.Lock()

    def key(self, tokens: Sequence[int], options: Mapping[str, Any]) -> str:
        """The entry's key for a prompt (as tokens) and the decoding options."""
        material = json.dumps(
            {"salt": self.salt, "tokens": list(tokens), "options": options},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[str, str, int] | None:
        """``(text, finish_reason, completion_tokens)`` when reusing and the entry exists."""
        if self.reuse == "none" or (self.reuse == "run" and key not in self._written):
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with self._lock:
            self.hits += 1
        return str(data["text"]), str(data["finish_reason"]), int(data["completion_tokens"])

    def put(self, key: str, text: str, finish_reason: str, completion_tokens: int) -> None:
        """Store one finished generation (atomically: a partial file is never read)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "text": text,
            "finish_reason": finish_reason,
            "completion_tokens": completion_tokens,
        }
        temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
        with self._lock:
            self.writes += 1
            self._written.add(key)


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
        #: Where finished generations are stored (and, when it reuses them, read back).
        self.cache: GenerationCache | None = None
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()  # the formatter is one mutable object
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
        with self._render_lock:
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
        self,
        max_tokens: int,
        stop: Sequence[str] | None,
        logit_bias: Mapping[int, float] | None,
        grammar: str | None,
    ) -> dict[str, Any]:
        return {
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "top_k": 1,
            "repeat_penalty": 1.0,
            "seed": self.seed,
            "stop": [*STOP_STRINGS, *(stop or ())],
            "logit_bias": dict(logit_bias) if logit_bias else None,
            "grammar": self._grammar(grammar) if grammar else None,
        }

    def _grammar(self, gbnf: str) -> Any:
        from llama_cpp.llama_grammar import LlamaGrammar  # noqa: PLC0415

        return LlamaGrammar.from_string(gbnf, verbose=False)

    def _cache_key(
        self,
        tokens: Sequence[int],
        max_tokens: int,
        stop: Sequence[str] | None,
        logit_bias: Mapping[int, float] | None,
        grammar: str | None,
    ) -> str | None:
        if self.cache is None:
            return None
        options = {
            "max_tokens": max_tokens,
            "stop": [*STOP_STRINGS, *(stop or ())],
            "logit_bias": sorted((int(k), float(v)) for k, v in (logit_bias or {}).items()),
            "grammar": grammar,
            "seed": self.seed,
            "n_ctx": self.n_ctx,
        }
        return self.cache.key(tokens, options)

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 512,
        stop: Sequence[str] | None = None,
        logit_bias: Mapping[int, float] | None = None,
        grammar: str | None = None,
    ) -> Completion:
        """Greedy completion of an already rendered prompt.

        ``grammar`` (GBNF text, e.g. from ``json_schema_to_gbnf``) constrains the decoding, as
        llama-cpp-python's own ``response_format`` does.
        """
        with self._lock:
            tokens, reused = self._prepare(prompt, max_tokens)
            key = self._cache_key(tokens, max_tokens, stop, logit_bias, grammar)
            hit = self.cache.get(key) if self.cache is not None and key else None
            if hit is not None:
                text, finish, generated = hit
                usage = Usage(1, len(tokens), 0, generated, 0.0, cached_requests=1)
                self.usage.add(usage)
                return Completion(text, finish, usage)
            started = time.perf_counter()
            response: Any = self.llm.create_completion(
                tokens, **self._kwargs(max_tokens, stop, logit_bias, grammar)
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
            text, finish = str(choice["text"]), str(choice["finish_reason"])
            if self.cache is not None and key:
                self.cache.put(key, text, finish, usage.completion_tokens)
            return Completion(text, finish, usage)

    def stream(
        self,
        prompt: str,
        *,
        max_tokens: int = 512,
        stop: Sequence[str] | None = None,
        logit_bias: Mapping[int, float] | None = None,
        grammar: str | None = None,
        usage_sink: Usage | None = None,
    ) -> Generator[str, None, None]:
        """Greedy completion, yielded as text chunks; counters are updated as it runs.

        ``usage_sink``, when given, receives the same counts as :attr:`usage`. A generation
        that runs to its end is stored in the cache; one closed early (a client that stopped
        reading at a stop sequence) is not.
        """
        sinks = [sink for sink in (self.usage, usage_sink) if sink is not None]
        with self._lock:
            tokens, reused = self._prepare(prompt, max_tokens)
            key = self._cache_key(tokens, max_tokens, stop, logit_bias, grammar)
            hit = self.cache.get(key) if self.cache is not None and key else None
            if hit is not None:
                text, _, generated = hit
                for sink in sinks:
                    sink.add(Usage(1, len(tokens), 0, generated, 0.0, cached_requests=1))
                yield from _pieces(text)
                return
            usage = Usage(
                requests=1, prompt_tokens=len(tokens), evaluated_prompt_tokens=len(tokens) - reused
            )
            for sink in sinks:
                sink.add(usage)
            started = time.perf_counter()
            chunks: Any = self.llm.create_completion(
                tokens, stream=True, **self._kwargs(max_tokens, stop, logit_bias, grammar)
            )
            pieces: list[str] = []
            finish: str | None = None
            generated = 0
            try:
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    text = str(choice["text"])
                    finish = choice.get("finish_reason") or finish
                    generated += 1
                    for sink in sinks:
                        sink.completion_tokens += 1
                    if text:
                        pieces.append(text)
                        yield text
                if self.cache is not None and key:
                    self.cache.put(key, "".join(pieces), finish or "stop", generated)
            finally:
                elapsed = time.perf_counter() - started
                for sink in sinks:
                    sink.seconds += elapsed


def _pieces(text: str) -> Iterator[str]:
    """A cached reply re-streamed in word-sized pieces (any split is a valid stream)."""
    start = 0
    for index, char in enumerate(text):
        if char.isspace() and index > start:
            yield text[start:index]
            start = index
    if start < len(text):
        yield text[start:]
