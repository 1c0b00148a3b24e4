"""A deterministic sample of the Berkeley Function Calling Leaderboard, scored by BFCL itself.

Data, ground truth and checkers all come from the installed ``bfcl-eval`` package (installed with
``--no-deps`` by ``python -m evals.provision``); nothing is vendored or re-implemented:

- data: ``bfcl_eval.utils.load_dataset_entry(category)`` (``bfcl_eval/data/BFCL_v4_<cat>.json``,
  with BFCL's own Python-syntax hints added to the function docs) and
  ``load_ground_truth_entry(category)`` (``bfcl_eval/data/possible_answer/``);
- AST categories (``simple_python``, ``multiple``, ``parallel``, ``parallel_multiple``):
  ``bfcl_eval.eval_checker.ast_eval.ast_checker.ast_checker(func_description, model_output,
  possible_answer, Language.PYTHON, test_category, model_name)``, preceded by the same format
  check as ``eval_runner._evaluate_single_ast_entry``;
- ``irrelevance``: pass when the reply decodes to no call, as ``_evaluate_single_relevance_entry``;
- multi-turn (``multi_turn_base``): the tool calls are *executed* against BFCL's own stateful
  backends (``execute_multi_turn_func_call``: a file system, a trading bot, ...) turn by turn as
  ``BaseHandler.inference_multi_turn_FC`` does, and the run is scored by
  ``multi_turn_checker``, which replays model and ground truth and compares states and results.

Tools are given to the model as BFCL gives them to OpenAI-style function-calling models:
``convert_to_tool(functions, GORILLA_TO_OPENAPI, ModelStyle.OPENAI_COMPLETIONS)`` (JSON Schema
types, ``.`` in names replaced by ``_``), and the checker is told that names had their dots
replaced (``underscore_to_dot``), exactly as for those models.

One shim: ``ast_checker`` imports ``bfcl_eval.constants.model_config`` only to read
``MODEL_CONFIG_MAPPING[model].underscore_to_dot``, but that module imports every vendor SDK BFCL
supports (openai, anthropic, cohere, mistralai, google-genai, boto3, qwen-agent, ...). Before
importing the checker, :func:`install_model_config_shim` registers a stand-in module whose
mapping answers ``underscore_to_dot=True`` for any model name.
"""

from __future__ import annotations

import copy
import json
import random
import sys
import types
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.local_llm import Usage

#: The single-turn categories sampled (BFCL v4 names; ``simple_python`` is the issue's "simple").
CATEGORIES: tuple[str, ...] = (
    "simple_python",
    "multiple",
    "parallel",
    "parallel_multiple",
    "irrelevance",
)
MULTI_TURN_CATEGORY = "multi_turn_base"
DEFAULT_SEED = 15
#: Measured here (2 cores, model otherwise idle): a single-turn case costs about 11 s natively
#: (230-600 prompt tokens at ~68 tokens/s, 30-60 generated at ~10.5 tokens/s), a multi-turn case
#: 1-3 min; when the machine is shared, twice that and more. Four per category (20 cases) plus
#: one multi-turn case is about 5-7 min per side on an idle machine: what leaves room, within
#: ``make eval-tools``'s ~15 minutes, for an emulated side and the agent cases.
DEFAULT_PER_CATEGORY = 4
DEFAULT_MULTI_TURN = 1
#: BFCL allows 20 steps per turn (``MAXIMUM_STEP_LIMIT``); a small model that loops would spend
#: minutes per step here, so the slice stops a turn after this many steps (counted as BFCL's
#: ``force_terminated`` failure).
MAX_STEPS_PER_TURN = 6


@dataclass(frozen=True)
class _ModelConfigStandIn:
    underscore_to_dot: bool = True


class _AnyModelConfig(dict[str, _ModelConfigStandIn]):
    def __missing__(self, key: str) -> _ModelConfigStandIn:
        return _ModelConfigStandIn()


def install_model_config_shim() -> None:
    """Register the light stand-in for ``bfcl_eval.constants.model_config`` (see module doc)."""
    name = "bfcl_eval.constants.model_config"
    if name in sys.modules:
        return
    module = types.ModuleType(name, "evals.bfcl stand-in: underscore_to_dot=True for any model")
    module.MODEL_CONFIG_MAPPING = _AnyModelConfig()  # type: ignore[attr-defined]
    sys.modules[name] = module


install_model_config_shim()

from bfcl_eval.constants.enums import Language, ModelStyle  # noqa: E402
from bfcl_eval.constants.type_mappings import GORILLA_TO_OPENAPI  # noqa: E402
from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker  # noqa: E402
from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import (  # noqa: E402
    multi_turn_checker,
)
from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_utils import (  # noqa: E402
    execute_multi_turn_func_call,
    is_empty_execute_response,
)
from bfcl_eval.model_handler.utils import convert_to_function_call, convert_to_tool  # noqa: E402
from bfcl_eval.utils import (  # noqa: E402
    is_empty_output,
    is_function_calling_format_output,
    load_dataset_entry,
    load_ground_truth_entry,
)


def bfcl_version() -> str:
    """The installed bfcl-eval version."""
    from importlib.metadata import version  # noqa: PLC0415

    return version("bfcl-eval")


# --------------------------------------------------------------------------------------------
# cases


@dataclass(frozen=True)
class BfclCase:
    """One single-turn BFCL case.

    Attributes:
        id: BFCL's id (``simple_python_12``).
        category: its category.
        messages: the OpenAI-style messages of its (only) turn.
        functions: BFCL's function docs (with BFCL's Python hints), as the checker reads them.
        tools: the same as OpenAI tools (what the model is given).
        possible_answer: BFCL's ground truth (``None`` for irrelevance).
    """

    id: str
    category: str
    messages: list[dict[str, Any]]
    functions: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    possible_answer: list[dict[str, Any]] | None


@dataclass(frozen=True)
class MultiTurnCase:
    """One multi-turn BFCL case: several user turns, executed against BFCL's backends."""

    id: str
    category: str
    entry: dict[str, Any]
    ground_truth: list[list[str]]
    tools: list[dict[str, Any]]
    #: tool name as given to the model -> BFCL's function name (they differ only for dotted names)
    name_map: dict[str, str]


def openai_tools(functions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """BFCL function docs as OpenAI tools, converted by BFCL itself."""
    return list(convert_to_tool(list(functions), GORILLA_TO_OPENAPI, ModelStyle.OPENAI_COMPLETIONS))


def load_sample(
    categories: Sequence[str] = CATEGORIES,
    *,
    per_category: int = DEFAULT_PER_CATEGORY,
    seed: int = DEFAULT_SEED,
) -> list[BfclCase]:
    """The first ``per_category`` cases of each category in a seeded shuffle of BFCL's ids.

    The shuffle is ``random.Random(f"{seed}:{category}").shuffle(sorted(ids))``: it depends only
    on the seed, the category and BFCL's ids, so the sample is the same on every machine for one
    bfcl-eval version, and a smaller sample is a prefix of a larger one (the 4-per-category eval
    is a subset of the 10-per-category baseline).
    """
    cases: list[BfclCase] = []
    for category in categories:
        entries = load_dataset_entry(category)
        answers: dict[str, Any] = {}
        if category != "irrelevance":
            answers = {a["id"]: a["ground_truth"] for a in load_ground_truth_entry(category)}
        order = sorted(e["id"] for e in entries)
        random.Random(f"{seed}:{category}").shuffle(order)  # noqa: S311 - a sample, not crypto
        chosen = order[:per_category]
        by_id = {e["id"]: e for e in entries}
        for case_id in sorted(chosen, key=_id_order):
            entry = by_id[case_id]
            functions = entry["function"]
            cases.append(
                BfclCase(
                    id=case_id,
                    category=category,
                    messages=[dict(m) for m in entry["question"][0]],
                    functions=functions,
                    tools=openai_tools(functions),
                    possible_answer=answers.get(case_id),
                )
            )
    return cases


def _id_order(case_id: str) -> tuple[str, int]:
    stem, _, number = case_id.rpartition("_")
    return (stem, int(number)) if number.isdigit() else (case_id, 0)


def load_multi_turn_slice(count: int = DEFAULT_MULTI_TURN) -> list[MultiTurnCase]:
    """The ``count`` cheapest ``multi_turn_base`` cases.

    Cost order: size of the function docs (every step re-sends them), then number of turns,
    then number of ground-truth calls, then id. The cheapest are all ``TradingBot`` cases (one
    backend, about 4,000 prompt tokens of tool docs); anything larger costs minutes per step on
    2 CPU cores.
    """
    if count <= 0:
        return []
    entries = load_dataset_entry(MULTI_TURN_CATEGORY)
    truths = {t["id"]: t["ground_truth"] for t in load_ground_truth_entry(MULTI_TURN_CATEGORY)}

    def cost(entry: dict[str, Any]) -> tuple[int, int, int, tuple[str, int]]:
        calls = sum(len(turn) for turn in truths[entry["id"]])
        size = len(json.dumps(entry["function"]))
        return (size, len(entry["question"]), calls, _id_order(entry["id"]))

    cases = []
    for entry in sorted(entries, key=cost)[:count]:
        tools = openai_tools(entry["function"])
        names = [t["function"]["name"] for t in tools]
        cases.append(
            MultiTurnCase(
                id=entry["id"],
                category=MULTI_TURN_CATEGORY,
                entry=entry,
                ground_truth=truths[entry["id"]],
                tools=tools,
                name_map={n: f["name"] for n, f in zip(names, entry["function"], strict=True)},
            )
        )
    return cases


def describe_sample(
    categories: Sequence[str],
    per_category: int,
    seed: int,
    multi_turn: Sequence[MultiTurnCase] = (),
) -> str:
    """One line naming the sample, for reports."""
    text = f"{per_category} per category of {', '.join(categories)}, seed {seed}"
    if multi_turn:
        ids = ", ".join(c.id for c in multi_turn)
        text += (
            f"; multi-turn: {ids} (cheapest by tool-doc size, <= {MAX_STEPS_PER_TURN} steps/turn)"
        )
    return text


# --------------------------------------------------------------------------------------------
# scoring


@dataclass(frozen=True)
class Score:
    """BFCL's verdict on one case."""

    valid: bool
    error_type: str = ""
    error: str = ""


def _fail(error_type: str, error: str) -> Score:
    return Score(valid=False, error_type=error_type, error=error)


@dataclass
class CaseResult:
    """One case's verdict and cost."""

    id: str
    category: str
    score: Score
    usage: Usage
    seconds: float
    raw: Any = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseResult:
        """The inverse of :meth:`as_dict`."""
        score = Score(bool(data["valid"]), str(data["error_type"]), str(data["error"]))
        usage = Usage(**data["usage"])
        return cls(data["id"], data["category"], score, usage, float(data["seconds"]), data["raw"])

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "category": self.category,
            "valid": self.score.valid,
            "error_type": self.score.error_type,
            "error": self.score.error,
            "usage": self.usage.as_dict(),
            "seconds": round(self.seconds, 2),
            "raw": self.raw,
        }


def score_calls(
    case: BfclCase, decoded: list[dict[str, dict[str, Any]]], *, model_name: str = "eval"
) -> Score:
    """Score decoded calls (``[{name: {param: value}}]``) with BFCL's own checker.

    ``model_name`` only selects the (shimmed) model config; any name gives
    ``underscore_to_dot=True``.
    """
    if case.category == "irrelevance" or case.possible_answer is None:
        has_call = is_function_calling_format_output(decoded) and not is_empty_output(decoded)
        if has_call:
            return _fail("irrelevance_error:decoder_success", json.dumps(decoded)[:300])
        return Score(valid=True)
    if not is_function_calling_format_output(decoded):
        return _fail("ast_decoder:decoder_wrong_output_format", str(decoded)[:300])
    verdict = ast_checker(
        copy.deepcopy(case.functions),
        copy.deepcopy(decoded),
        copy.deepcopy(case.possible_answer),
        Language.PYTHON,
        case.category,
        model_name.replace("/", "_"),
    )
    if verdict["valid"]:
        return Score(valid=True)
    errors = verdict.get("error", [])
    message = "; ".join(str(e) for e in errors) if isinstance(errors, list) else str(errors)
    return _fail(str(verdict.get("error_type", "ast_checker")), message[:300])


@dataclass(frozen=True)
class StepReply:
    """What one model step of a multi-turn run produced.

    Attributes:
        message: the OpenAI-style assistant message to append to the history (its
            ``tool_calls`` carry the ids the tool results answer).
        decoded_calls: the calls as ``[{name: {param: value}}]`` (empty: the turn is over).
        raw: the raw reply, for the transcript.
    """

    message: dict[str, Any]
    decoded_calls: list[dict[str, dict[str, Any]]]
    raw: Any = None


StepFn = Callable[[list[dict[str, Any]], list[dict[str, Any]]], StepReply]


@dataclass
class _Transcript:
    turns: list[list[dict[str, Any]]] = field(default_factory=list)


def run_multi_turn(
    case: MultiTurnCase,
    step: StepFn,
    *,
    label: str = "eval",
    max_steps: int = MAX_STEPS_PER_TURN,
) -> tuple[Score, list[list[dict[str, Any]]]]:
    """Run one multi-turn case as BFCL's ``inference_multi_turn_FC`` does and score it.

    ``step(messages, tools)`` makes one model request with the OpenAI-style history so far. After
    each step its calls are executed against BFCL's backends and the results appended as
    ``tool`` messages; a step without calls ends the turn; the next turn's user message follows.
    Returns BFCL's verdict and a transcript of the steps.
    """
    entry = case.entry
    # execute_multi_turn_func_call keeps backend instances in a module global keyed by model
    # name and case id: a fresh name per run keeps two runs (or two sides) from sharing state.
    run_name = f"{label}_{uuid.uuid4().hex[:8]}".replace("-", "_").replace("/", "_")
    common = {
        "initial_config": entry.get("initial_config", {}),
        "involved_classes": entry["involved_classes"],
        "test_entry_id": entry["id"],
        "long_context": False,
    }
    execute_multi_turn_func_call([], model_name=run_name, is_evaL_run=False, **common)
    messages: list[dict[str, Any]] = []
    decoded_turns: list[list[list[str]]] = []
    transcript = _Transcript()
    for turn_messages in entry["question"]:
        messages.extend(dict(m) for m in turn_messages)
        turn_decoded: list[list[str]] = []
        turn_log: list[dict[str, Any]] = []
        transcript.turns.append(turn_log)
        for _ in range(max_steps):
            reply = step(messages, case.tools)
            messages.append(reply.message)
            calls = [
                {case.name_map.get(name, name): args}
                for call in reply.decoded_calls
                for name, args in call.items()
            ]
            executable = convert_to_function_call(calls) if calls else []
            turn_log.append({"raw": reply.raw, "calls": executable})
            if is_empty_execute_response(executable):
                break
            turn_decoded.append(executable)
            results, _ = execute_multi_turn_func_call(
                executable, model_name=run_name, is_evaL_run=False, **common
            )
            turn_log[-1]["results"] = results
            ids = [
                c.get("id", f"call_{i}") for i, c in enumerate(reply.message.get("tool_calls", []))
            ]
            for index, result in enumerate(results):
                call_id = ids[index] if index < len(ids) else f"call_{index}"
                messages.append({"role": "tool", "tool_call_id": call_id, "content": result})
        else:
            decoded_turns.append(turn_decoded)
            return (
                _fail(
                    "multi_turn:force_terminated",
                    f"turn {len(decoded_turns) - 1} still calling after {max_steps} steps",
                ),
                transcript.turns,
            )
        decoded_turns.append(turn_decoded)
    verdict = multi_turn_checker(
        decoded_turns, case.ground_truth, copy.deepcopy(entry), case.category, run_name
    )
    if verdict.get("valid"):
        return Score(valid=True), transcript.turns
    message = str(verdict.get("error_message", verdict))[:300]
    return _fail(str(verdict.get("error_type", "multi_turn")), message), transcript.turns


# --------------------------------------------------------------------------------------------
# reporting


def summarize(results: Sequence[CaseResult]) -> dict[str, dict[str, float]]:
    """Per-category (and overall) counts, accuracy and cost."""
    rows: dict[str, dict[str, float]] = {}
    for key in [*dict.fromkeys(r.category for r in results), "overall"]:
        chosen = [r for r in results if key in {"overall", r.category}]
        if not chosen:
            continue
        usage = Usage()
        for r in chosen:
            usage.add(r.usage)
        passed = sum(r.score.valid for r in chosen)
        rows[key] = {
            "cases": len(chosen),
            "passed": passed,
            "accuracy": passed / len(chosen),
            "requests": usage.requests,
            "prompt_tokens": usage.prompt_tokens,
            "evaluated_prompt_tokens": usage.evaluated_prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "seconds": sum(r.seconds for r in chosen),
        }
    return rows


def summary_table(results: Sequence[CaseResult]) -> str:
    """A Markdown table of :func:`summarize`."""
    head = (
        "| category | cases | passed | accuracy | requests | prompt tok | evaluated | "
        "completion tok | wall s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for key, row in summarize(results).items():
        name = f"**{key}**" if key == "overall" else key
        lines.append(
            f"| {name} | {row['cases']:.0f} | {row['passed']:.0f} | {row['accuracy']:.0%} | "
            f"{row['requests']:.0f} | {row['prompt_tokens']:.0f} | "
            f"{row['evaluated_prompt_tokens']:.0f} | {row['completion_tokens']:.0f} | "
            f"{row['seconds']:.0f} |"
        )
    return "\n".join(lines)


def side_by_side_table(runs: Mapping[str, Sequence[CaseResult]]) -> str:
    """One Markdown table comparing several runs (e.g. native vs emulated) per category."""
    summaries = {label: summarize(results) for label, results in runs.items()}
    keys = list(dict.fromkeys(k for s in summaries.values() for k in s))
    labels = list(runs)
    cells = " | ".join(f"{label} acc | {label} req | {label} prompt tok" for label in labels)
    lines = [f"| category | {cells} |", "|---|" + "---:|" * (3 * len(labels))]
    for key in keys:
        row = []
        for label in labels:
            stats = summaries[label].get(key)
            if stats is None:
                row += ["-", "-", "-"]
            else:
                accuracy = f"{stats['accuracy']:.0%} ({stats['passed']:.0f}/{stats['cases']:.0f})"
                row += [accuracy, f"{stats['requests']:.0f}", f"{stats['prompt_tokens']:.0f}"]
        lines.append(f"| {key} | " + " | ".join(row) + " |")
    return "\n".join(lines)
