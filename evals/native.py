r"""The model's *native* function calling: its own chat template and ``<tool_call>`` replies.

Qwen2.5's GGUF carries its Jinja chat template (``tokenizer.chat_template``). Given ``tools`` it
renders them as JSON lines inside ``<tools></tools>`` in the system turn and asks for replies of
the form ``<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`` (one block per call);
tool results go back as ``<tool_response>`` blocks in a user turn. :class:`NativeToolCaller`
renders with exactly that template (through llama-cpp-python's own ``Jinja2ChatFormatter``, the
formatter ``Llama.create_chat_completion`` uses for a GGUF template), generates greedily and
parses the blocks into OpenAI-style tool calls.

Why not llama-cpp-python's ``create_chat_completion(tools=...)``: with the GGUF template it renders
the tools the same way but returns the ``<tool_call>`` text unparsed, and for a named
``tool_choice`` it swaps in a JSON grammar for the bare arguments, which is not the model's
format. Its ``chatml-function-calling`` handler is llama-cpp-python's own prompt, not the model's.
The template has no notion of ``tool_choice``, so the controls are applied at decoding time:

- ``"auto"``: as rendered.
- ``"none"``: tools stay in the prompt; the ``<tool_call>`` token is banned (logit bias) and
  nothing in the reply is read as a call.
- ``"required"``: the assistant turn is prefilled with ``<tool_call>\n``.
- a named tool: prefilled with ``<tool_call>\n{"name": "<name>", "arguments": ``.
- ``parallel_tool_calls=False``: generation stops at the first ``</tool_call>``.

``python -m evals.native`` runs the BFCL sample (:mod:`evals.bfcl`) through this runner and writes
``evals/NATIVE_BASELINE.md`` and ``evals/results/native_bfcl.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals import bfcl, provision
from evals.local_llm import ContextOverflowError, LocalModel, Usage

TOOL_CALL_OPEN = "<tool_call>"
TOOL_CALL_CLOSE = "</tool_call>"
_TOOL_CALL_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
EVALS_DIR = Path(__file__).resolve().parent

ToolChoice = str | Mapping[str, Any] | None


@dataclass
class AssistantTurn:
    """One decoded assistant reply.

    Attributes:
        content: the text outside ``<tool_call>`` blocks, stripped.
        tool_calls: OpenAI-style calls in the model's own format (``<tool_call>`` blocks):
            ``{"id", "type": "function", "function": {"name", "arguments": <JSON string>}}``.
        raw: the reply exactly as generated (with any prefill prepended).
        parse_errors: one message per ``<tool_call>`` block that did not decode.
        finish_reason: llama.cpp's finish reason (``stop`` or ``length``).
        usage: what this reply cost.
        loose_tool_calls: ``tool_calls`` if there are any, else the calls that
            :func:`parse_loose_calls` finds in the text (a fenced or bare JSON object with
            ``name`` and ``arguments``), which this model often writes instead of a
            ``<tool_call>`` block. Under ``tool_choice="none"`` both lists stay empty.
    """

    content: str
    tool_calls: list[dict[str, Any]]
    raw: str
    parse_errors: list[str] = field(default_factory=list)
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)
    loose_tool_calls: list[dict[str, Any]] = field(default_factory=list)

    def effective_calls(self, *, loose: bool = False) -> list[dict[str, Any]]:
        """The strict calls, or with ``loose`` the loose ones."""
        return self.loose_tool_calls if loose else self.tool_calls

    def as_message(self, *, loose: bool = False) -> dict[str, Any]:
        """This reply as an OpenAI-style assistant message, for the next request's history.

        With ``loose`` and calls found only loosely, the JSON text *was* the call: the message
        carries the calls and no content (the template re-renders them as ``<tool_call>``).
        """
        calls = self.effective_calls(loose=loose)
        content = "" if calls and not self.tool_calls else self.content
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if calls:
            message["tool_calls"] = calls
        return message

    def decoded_calls(self, *, loose: bool = False) -> list[dict[str, dict[str, Any]]]:
        """The calls as BFCL's checkers take them: ``[{name: {param: value}}, ...]``."""
        return [
            {call["function"]["name"]: json.loads(call["function"]["arguments"])}
            for call in self.effective_calls(loose=loose)
        ]


def _openai_call(index: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"call_{index}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
    }


def _call_parts(
    obj: Any, keys: tuple[str, ...] = ("arguments",)
) -> tuple[str, dict[str, Any]] | None:
    """``(name, arguments)`` when ``obj`` is a ``{"name", <one of keys>}`` object."""
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        return None
    arguments: Any = next((obj[key] for key in keys if key in obj), {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError:
            return None
    return (obj["name"], arguments) if isinstance(arguments, dict) else None


def parse_loose_calls(text: str) -> list[dict[str, Any]]:
    """Calls written as plain JSON instead of ``<tool_call>`` blocks (a diagnostic fallback).

    Every JSON object or array in ``text`` (fenced in a code block or not) is decoded, left to
    right; objects with a string ``name`` and an ``arguments`` (or ``parameters``) object, and
    arrays of them, count as calls. This is *not* the model's protocol: results parsed this way
    are reported separately, as "native (loose)".
    """
    decoder = json.JSONDecoder()
    calls: list[dict[str, Any]] = []
    index = 0
    while index < len(text):
        if text[index] not in "{[":
            index += 1
            continue
        try:
            obj, end = decoder.raw_decode(text, index)
        except ValueError:
            index += 1
            continue
        items = obj if isinstance(obj, list) else [obj]
        for item in items:
            parts = _call_parts(item, ("arguments", "parameters"))
            if parts is not None:
                calls.append(_openai_call(len(calls), *parts))
        index = end
    return calls


def parse_tool_calls(text: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    r"""Split a native Qwen reply into ``(content, tool_calls, parse_errors)``.

    Like bfcl-eval's ``QwenFCHandler._extract_tool_calls`` (``<tool_call>\n{json}\n</tool_call>``)
    but tolerant of other whitespace, of an unclosed last block (a reply cut at
    ``max_tokens``), of trailing text after the JSON object and of ``arguments`` sent as a JSON
    string. A block that still does not decode is reported in ``parse_errors`` and dropped.
    """
    calls: list[dict[str, Any]] = []
    errors: list[str] = []
    decoder = json.JSONDecoder()
    for index, match in enumerate(_TOOL_CALL_BLOCK.finditer(text)):
        body = match.group(1).strip()
        try:
            start = body.index("{")
            obj, _ = decoder.raw_decode(body[start:])
        except ValueError as exc:
            errors.append(f"block {index}: not JSON ({exc}): {body[:120]!r}")
            continue
        parts = _call_parts(obj)
        if parts is None:
            errors.append(f"block {index}: no 'name' and 'arguments' object: {body[:120]!r}")
            continue
        calls.append(_openai_call(len(calls), *parts))
    content = _TOOL_CALL_BLOCK.sub("", text).replace(TOOL_CALL_CLOSE, "").strip()
    return content, calls, errors


def _template_messages(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI-style messages as the Qwen template reads them.

    The template writes ``arguments | tojson``, so JSON-string arguments become objects again
    (else they would be double-encoded); ``None`` contents become ``""``.
    """
    rendered: list[dict[str, Any]] = []
    for message in messages:
        item = dict(message)
        content = item.get("content")
        if content is None:
            item["content"] = ""
        elif not isinstance(content, str):  # a list of content parts: keep the text ones
            item["content"] = "".join(
                part.get("text", "") for part in content if isinstance(part, Mapping)
            )
        if item.get("tool_calls"):
            calls = []
            for call in item["tool_calls"]:
                function = dict(call.get("function", call))
                arguments = function.get("arguments", {})
                if isinstance(arguments, str):
                    try:
                        function["arguments"] = json.loads(arguments) if arguments else {}
                    except ValueError:
                        function["arguments"] = arguments
                calls.append({"type": "function", "function": function})
            item["tool_calls"] = calls
        rendered.append(item)
    return rendered


def _choice_name(tool_choice: ToolChoice) -> str | None:
    if isinstance(tool_choice, Mapping):
        function = tool_choice.get("function", tool_choice)
        name = function.get("name") if isinstance(function, Mapping) else None
        return str(name) if name else None
    if tool_choice in {None, "auto", "none", "required", "any"}:
        return None
    return str(tool_choice)


class NativeToolCaller:
    """Chat completions with tools through the model's own template (see the module docstring)."""

    def __init__(self, model: LocalModel, *, max_tokens: int = 512) -> None:
        """Use ``model``; ``max_tokens`` caps every reply."""
        self.model = model
        self.max_tokens = max_tokens
        self.usage = Usage()
        self._tool_call_token = model.token_id(TOOL_CALL_OPEN)

    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        tools: Sequence[Mapping[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        parallel_tool_calls: bool = True,
        max_tokens: int | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> AssistantTurn:
        """One assistant reply to ``messages`` with ``tools`` (OpenAI formats for both).

        ``on_text``, when given, receives the reply's text as it streams (the generation runs
        through llama.cpp's streaming API); the parsed turn is returned at the end either way.
        """
        tools = list(tools or [])
        name = _choice_name(tool_choice)
        prefill = ""
        logit_bias: dict[int, float] | None = None
        if tools and tool_choice == "none":
            if self._tool_call_token is None:
                tools = []  # cannot ban a multi-token marker: hide the tools instead
            else:
                logit_bias = {self._tool_call_token: -1e9}
        elif tools and name is not None:
            prefill = f'{TOOL_CALL_OPEN}\n{{"name": {json.dumps(name)}, "arguments": '
        elif tools and tool_choice in {"required", "any"}:
            # Not just "<tool_call>\n": after that this model ends its turn (measured); from
            # the opening of the JSON object it picks a name and writes the call.
            prefill = f'{TOOL_CALL_OPEN}\n{{"name": "'
        prompt = self.model.render(_template_messages(messages), tools or None) + prefill
        stop = [TOOL_CALL_CLOSE] if tools and not parallel_tool_calls else None
        budget = max_tokens or self.max_tokens
        if on_text is None:
            completion = self.model.complete(
                prompt, max_tokens=budget, stop=stop, logit_bias=logit_bias
            )
            text, finish, usage = completion.text, completion.finish_reason, completion.usage
        else:
            usage = Usage()
            pieces: list[str] = []
            if prefill:
                on_text(prefill)
            for piece in self.model.stream(
                prompt, max_tokens=budget, stop=stop, logit_bias=logit_bias, usage_sink=usage
            ):
                pieces.append(piece)
                on_text(piece)
            text = "".join(pieces)
            finish = "length" if usage.completion_tokens >= budget else "stop"
        self.usage.add(usage)
        raw = prefill + text
        if stop and finish == "stop" and TOOL_CALL_OPEN in raw:
            raw += TOOL_CALL_CLOSE  # llama.cpp drops the stop string itself
        if tool_choice == "none" or not tools:
            # Banning the <tool_call> token does not stop the model from spelling the tag out
            # in plain characters; under "none" nothing it writes is a call.
            return AssistantTurn(raw.strip(), [], raw, [], finish, usage, [])
        content, calls, errors = parse_tool_calls(raw)
        loose = calls or parse_loose_calls(content)
        if not parallel_tool_calls:
            calls, loose = calls[:1], loose[:1]
        return AssistantTurn(content, calls, raw, errors, finish, usage, loose)


# --------------------------------------------------------------------------------------------
# the BFCL baseline


STRICT = "native"
LOOSE = "native (loose)"


def run_bfcl(
    caller: NativeToolCaller,
    cases: Sequence[bfcl.BfclCase],
    multi_turn: Sequence[bfcl.MultiTurnCase] = (),
    *,
    multi_turn_loose: Sequence[bool] = (False,),
    log: Callable[[str], None] | None = None,
) -> dict[str, list[bfcl.CaseResult]]:
    """Run BFCL cases through ``caller``; score them with BFCL, strictly and loosely.

    Each single-turn case is generated once and scored twice: :data:`STRICT` reads only the
    model's ``<tool_call>`` blocks (its protocol), :data:`LOOSE` also JSON written as text (see
    :func:`parse_loose_calls`). A multi-turn run's trajectory depends on which calls are
    executed, so it is run once per entry of ``multi_turn_loose``.
    """
    runs: dict[str, list[bfcl.CaseResult]] = {STRICT: [], LOOSE: []}

    def note(label: str, case_id: str, score: bfcl.Score) -> None:
        if log:
            log(f"{label:15} {case_id}: {'PASS' if score.valid else 'fail ' + score.error_type}")

    for case in cases:
        before = caller.usage.copy()
        started = time.perf_counter()
        try:
            turn = caller.chat(case.messages, case.tools)
        except ContextOverflowError as exc:
            turn = None
            overflow = bfcl.Score(valid=False, error_type="context_overflow", error=str(exc))
        seconds = time.perf_counter() - started
        usage = caller.usage.since(before)
        for label, loose in ((STRICT, False), (LOOSE, True)):
            if turn is None:
                score, raw = overflow, ""
            else:
                score = bfcl.score_calls(case, turn.decoded_calls(loose=loose), model_name=label)
                raw = turn.raw
            runs[label].append(bfcl.CaseResult(case.id, case.category, score, usage, seconds, raw))
            note(label, case.id, score)

    for loose in multi_turn_loose:
        label = LOOSE if loose else STRICT

        def step(
            messages: list[dict[str, Any]], tools: list[dict[str, Any]], *, loose: bool = loose
        ) -> bfcl.StepReply:
            turn = caller.chat(messages, tools)
            return bfcl.StepReply(
                turn.as_message(loose=loose), turn.decoded_calls(loose=loose), turn.raw
            )

        for mt_case in multi_turn:
            before = caller.usage.copy()
            started = time.perf_counter()
            try:
                score, transcript = bfcl.run_multi_turn(mt_case, step, label="native")
            except ContextOverflowError as exc:
                score = bfcl.Score(valid=False, error_type="context_overflow", error=str(exc))
                transcript = []
            runs[label].append(
                bfcl.CaseResult(
                    mt_case.id,
                    mt_case.category,
                    score,
                    caller.usage.since(before),
                    time.perf_counter() - started,
                    transcript,
                )
            )
            note(label, mt_case.id, score)
    return runs


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor()
    names = [line.split(":", 1)[1].strip() for line in text.splitlines() if "model name" in line]
    return f"{names[0]} ({len(names)} cores)" if names else platform.processor()


def _speed(model: LocalModel) -> dict[str, float]:
    """Prompt-eval and generation speed of the loaded model on this machine.

    Prompt: a ~1,000-token prompt evaluated from an empty cache. Generation: the same prompt
    again (fully cached, so the time is the generation), 64 tokens.
    """
    words = ", ".join(f"item {i}" for i in range(330))
    task = "Then write the numbers from one to forty in words, comma separated."
    prompt = model.render([{"role": "user", "content": f"Read this list: {words}. {task}"}])
    model.reset_cache()
    first = model.complete(prompt, max_tokens=1)
    full = model.complete(prompt, max_tokens=64)
    return {
        "prompt_tokens": first.usage.prompt_tokens,
        "prompt_tokens_per_s": first.usage.prompt_tokens / first.usage.seconds,
        "generated_tokens": full.usage.completion_tokens,
        "gen_tokens_per_s": full.usage.completion_tokens / full.usage.seconds,
    }


def _failure_line(result: bfcl.CaseResult) -> str:
    raw = result.raw if isinstance(result.raw, str) else json.dumps(result.raw)[:400]
    snippet = " ".join(raw.split())[:110]
    return f"- `{result.id}`: {result.score.error_type}: {result.score.error[:120]} — `{snippet}`"


def write_baseline(
    runs: Mapping[str, Sequence[bfcl.CaseResult]],
    *,
    meta: dict[str, Any],
    markdown: Path,
    json_path: Path,
) -> str:
    """Write the tables to ``markdown`` (and every case's details to ``json_path``)."""
    speed = meta["speed"]
    lines = [
        "# Native function-calling baseline (BFCL sample)",
        "",
        "Written by `python -m evals.native` (see `evals/README.md`). The model answers",
        "through its *own* chat template (the GGUF's `tokenizer.chat_template`, tools rendered",
        "in the system turn, replies as `<tool_call>` JSON blocks), decoded greedily; every",
        "case is scored by bfcl-eval's own checkers (`ast_checker` for the AST categories,",
        "`multi_turn_checker` on executed state for multi-turn, no call = pass for",
        "irrelevance).",
        "",
        f"- model: {meta['model']} (`{meta['model_file']}`, sha256 `{meta['model_sha256'][:16]}…`)",
        (
            f"- runtime: llama-cpp-python {meta['llama_cpp_python']} (built from source here), "
            f"n_ctx {meta['n_ctx']}, n_threads {meta['n_threads']}, temperature 0 (greedy), "
            f"seed {meta['seed']}"
        ),
        f"- data and checker: bfcl-eval {meta['bfcl_eval']}; sample: {meta['sample']}",
        f"- machine: {meta['machine']}",
        (
            f"- speed: prompt {speed['prompt_tokens_per_s']:.1f} tokens/s "
            f"({speed['prompt_tokens']}-token prompt, empty cache), generation "
            f"{speed['gen_tokens_per_s']:.1f} tokens/s"
        ),
        f"- wall time of the whole run (model load excluded): {meta['wall_seconds']:.0f} s",
        *([f"- note: {meta['note']}"] if meta.get("note") else []),
        "",
        "## Side by side",
        "",
        f"`{STRICT}` reads only the model's `<tool_call>` blocks - its protocol, as bfcl-eval's",
        f"own `QwenFCHandler` does. `{LOOSE}` scores the *same* single-turn generations but also",
        "accepts a call written as a JSON object in the text (often in a ```json fence), which",
        "this model does more often than it uses its own format; multi-turn is a separate run",
        "for each, since the calls executed steer the conversation.",
        "",
        bfcl.side_by_side_table(dict(runs)),
        "",
    ]
    subset = meta.get("default_subset_ids")
    if subset:
        chosen = {label: [r for r in rs if r.id in subset] for label, rs in runs.items()}
        lines += [
            (
                f"Of which the default `make eval-tools` sample ({bfcl.DEFAULT_PER_CATEGORY} per "
                "category, a prefix of this one, and the same multi-turn slice):"
            ),
            "",
            bfcl.side_by_side_table(chosen),
            "",
        ]
    for label, results in runs.items():
        lines += [f"## {label}", "", bfcl.summary_table(results), ""]
    lines += [
        "`prompt tok` counts every request's prompt in full (what an API bills); `evaluated` is",
        "what llama.cpp actually evaluated after reusing the previous prompt's KV-cache prefix.",
        "Single-turn cost is shared by both rows (one generation, two parses).",
        "",
    ]
    for label, results in runs.items():
        failures = [r for r in results if not r.score.valid]
        lines += [f"## Failures: {label}", ""]
        lines += [_failure_line(r) for r in failures] or ["(none)"]
        lines.append("")
    markdown.write_text("\n".join(lines), encoding="utf-8")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": meta,
        "runs": {label: [r.as_dict() for r in results] for label, results in runs.items()},
    }
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return bfcl.side_by_side_table(dict(runs))


def _rerender(json_path: Path, markdown: Path) -> int:
    """Rewrite the Markdown report from a results JSON (e.g. after a report-format change)."""
    payload = json.loads(json_path.read_text(encoding="utf-8"))
    meta = payload["meta"]
    runs = {
        label: [bfcl.CaseResult.from_dict(item) for item in items]
        for label, items in payload["runs"].items()
    }
    ids = [r.id for r in runs[STRICT]]
    per_category = max(sum(1 for r in runs[STRICT] if r.category == c) for c in bfcl.CATEGORIES)
    if per_category > bfcl.DEFAULT_PER_CATEGORY:
        default = {c.id for c in bfcl.load_sample(seed=int(meta.get("sample_seed", 15)))}
        meta["default_subset_ids"] = [i for i in ids if i in default or "multi_turn" in i]
    else:
        meta.pop("default_subset_ids", None)
    write_baseline(runs, meta=meta, markdown=markdown, json_path=json_path)
    sys.stderr.write(f"[evals.native] rewrote {markdown} from {json_path}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m evals.native``: the native BFCL baseline."""
    parser = argparse.ArgumentParser(prog="python -m evals.native", description=__doc__)
    parser.add_argument("--per-category", type=int, default=bfcl.DEFAULT_PER_CATEGORY)
    parser.add_argument("--multi-turn", type=int, default=bfcl.DEFAULT_MULTI_TURN)
    parser.add_argument(
        "--multi-turn-modes",
        nargs="+",
        choices=("strict", "loose"),
        default=["strict", "loose"],
        help="run the multi-turn slice with strict and/or loose call parsing",
    )
    parser.add_argument("--seed", type=int, default=bfcl.DEFAULT_SEED)
    parser.add_argument("--categories", nargs="+", default=list(bfcl.CATEGORIES))
    parser.add_argument("--out", type=Path, default=EVALS_DIR / "NATIVE_BASELINE.md")
    parser.add_argument("--json", type=Path, default=EVALS_DIR / "results" / "native_bfcl.json")
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="only rewrite --out from the results in --json (no model run)",
    )
    args = parser.parse_args(argv)
    if args.rerender:
        return _rerender(args.json, args.out)

    def log(message: str) -> None:
        sys.stderr.write(f"[evals.native] {message}\n")
        sys.stderr.flush()

    try:
        manifest = provision.load_manifest()
        model = LocalModel.load()
    except provision.ProvisionError as exc:
        log(f"FAILED: {exc}")
        return 1
    cases = bfcl.load_sample(args.categories, per_category=args.per_category, seed=args.seed)
    multi_turn = bfcl.load_multi_turn_slice(args.multi_turn)
    log(f"{len(cases)} single-turn cases + {len(multi_turn)} multi-turn; measuring speed ...")
    speed = _speed(model)
    log(f"speed: {json.dumps({k: round(v, 1) for k, v in speed.items()})}")
    caller = NativeToolCaller(model)
    started = time.perf_counter()
    modes = [mode == "loose" for mode in args.multi_turn_modes]
    runs = run_bfcl(caller, cases, multi_turn, multi_turn_loose=modes, log=log)
    meta = {
        "model": manifest["model"]["name"],
        "model_file": manifest["model"]["file"],
        "model_sha256": manifest["model"]["sha256"],
        "llama_cpp_python": manifest["llama_cpp_python"]["version"],
        "bfcl_eval": bfcl.bfcl_version(),
        "n_ctx": model.n_ctx,
        "n_threads": model.n_threads,
        "seed": model.seed,
        "sample_seed": args.seed,
        "sample": bfcl.describe_sample(args.categories, args.per_category, args.seed, multi_turn),
        "machine": f"{platform.machine()} {_cpu_model()}, {model.n_threads} threads",
        "speed": speed,
        "wall_seconds": time.perf_counter() - started,
        "usage": caller.usage.as_dict(),
    }
    if args.per_category > bfcl.DEFAULT_PER_CATEGORY:
        default = bfcl.load_sample(args.categories, seed=args.seed)
        meta["default_subset_ids"] = [c.id for c in default] + [c.id for c in multi_turn]
    table = write_baseline(runs, meta=meta, markdown=args.out, json_path=args.json)
    sys.stdout.write(table + "\n")
    log(f"wrote {args.out} and {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
