"""The side-by-side report of ``python -m evals``: ``evals/RESULTS.md`` and its JSON.

One run holds, per side (``native``, ``native (loose)``, ``emulated``), the BFCL results and the
agent results as :class:`~evals.bfcl.CaseResult` lists, plus the emulated side's protocol
figures (requests per model call, transcript markup). A previous run's JSON can be passed as the
*baseline*: its emulated figures then appear next to this run's as "before".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals import bfcl
from evals.local_llm import Usage

Runs = Mapping[str, Sequence[bfcl.CaseResult]]


def load(json_path: Path) -> dict[str, Any]:
    """A results JSON written by :func:`write`, with the case results rebuilt."""
    payload: dict[str, Any] = json.loads(json_path.read_text(encoding="utf-8"))
    for part in ("bfcl", "agent"):
        payload[part] = {
            label: [bfcl.CaseResult.from_dict(item) for item in items]
            for label, items in payload.get(part, {}).items()
        }
    return payload


def _accuracy(results: Sequence[bfcl.CaseResult]) -> str:
    passed = sum(r.score.valid for r in results)
    return f"{passed / len(results):.0%} ({passed}/{len(results)})" if results else "-"


def _cost(results: Sequence[bfcl.CaseResult]) -> Usage:
    usage = Usage()
    for result in results:
        usage.add(result.usage)
    return usage


def comparison_table(columns: Mapping[str, Sequence[bfcl.CaseResult]], *, cost: bool) -> str:
    """Per category (in first-seen order) and overall: accuracy (and requests, prompt tokens)."""
    categories = list(dict.fromkeys(r.category for results in columns.values() for r in results))
    heads = []
    for label in columns:
        heads += [f"{label} acc"] + ([f"{label} req", f"{label} prompt tok"] if cost else [])
    lines = [
        "| category | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(heads),
    ]
    for category in [*categories, "overall"]:
        cells = []
        for results in columns.values():
            chosen = [r for r in results if category in {"overall", r.category}]
            cells.append(_accuracy(chosen))
            if cost:
                usage = _cost(chosen)
                cells += [str(usage.requests), str(usage.prompt_tokens)] if chosen else ["-", "-"]
        name = f"**{category}**" if category == "overall" else category
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def protocol_table(columns: Mapping[str, Mapping[str, Any]]) -> str:
    """The emulated protocol's own figures, one column per run."""
    rows = [
        ("model calls (turns)", "turns"),
        ("requests", "requests"),
        ("mean requests per turn", "requests_per_turn"),
        ("turns that needed a repair", "repaired_turns"),
        ("replies (requests served)", "replies"),
        ("replies with transcript markup", "with_markup"),
        ("replies starting with markup", "starting_with_markup"),
        ("turns with markup in `content`", "in_content"),
        ("turns with a call read from invented markup", "calls_from_markup"),
        ("prompt tokens (billed)", "prompt_tokens"),
    ]
    lines = ["| figure | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for title, key in rows:
        cells = []
        for figures in columns.values():
            value = figures.get(key, "-")
            cells.append(f"{value:.2f}" if isinstance(value, float) else str(value))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _failure(result: bfcl.CaseResult) -> str:
    raw = result.raw
    if isinstance(raw, Mapping) and raw.get("replies"):
        raw = raw["replies"][-1]
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    snippet = " ".join(str(text).split())[:140]
    reason = " ".join(f"{result.score.error_type}: {result.score.error}".split())[:160]
    return f"- `{result.id}`: {reason} — `{snippet}`"


def render(payload: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> str:
    """The Markdown report."""
    meta = payload["meta"]
    bfcl_runs: Runs = payload["bfcl"]
    agent_runs: Runs = payload["agent"]
    lines = [
        "# Tool calling on a real local model: native vs ChatOneMinAI's emulated protocol",
        "",
        "Written by `python -m evals` (`make eval-tools`; see `evals/README.md`). Both sides run",
        "the same model, decoded greedily, on the same cases: **native** is the model's own",
        "function calling (its GGUF chat template, `<tool_call>` blocks; scored strictly, as",
        "bfcl-eval's `QwenFCHandler` does, and *loose* - any JSON call in the text - as a",
        "diagnostic); **emulated** is `ChatOneMinAI` (prompt protocol, parser, repairs) talking",
        "to the bundled emulator, whose brain is the same model.",
        "",
        f"- model: {meta['model']} (`{meta['model_file']}`, sha256 `{meta['model_sha256'][:16]}…`)",
        (
            f"- runtime: llama-cpp-python {meta['llama_cpp_python']}, n_ctx {meta['n_ctx']}, "
            f"{meta['n_threads']} threads, temperature 0, seed {meta['seed']}; max tokens per "
            f"reply {meta['max_tokens']}"
        ),
        f"- package: langchain-oneminai {meta['package_version']}",
        f"- BFCL: bfcl-eval {meta['bfcl_eval']}; sample: {meta['sample']}",
        f"- agent cases: {meta['agent_cases']}",
        f"- machine: {meta['machine']}",
        (
            f"- wall time: {meta['wall_seconds']:.0f} s (model load and provisioning excluded); "
            f"the model's work ({meta['usage']['evaluated_prompt_tokens']:.0f} prompt tokens "
            f"evaluated, {meta['usage']['completion_tokens']:.0f} generated) takes "
            f"{meta.get('idle_model_seconds', 0):.0f} s at this build's idle speed (68 prompt, "
            "10.5 generated tokens/s)"
        ),
        f"- generations: {meta['cache_note']}",
        "",
        "## BFCL sample (scored by bfcl-eval's own checkers)",
        "",
        comparison_table(bfcl_runs, cost=True),
        "",
        "## Agent cases",
        "",
        comparison_table(agent_runs, cost=True),
        "",
        "## The emulated protocol",
        "",
    ]
    columns: dict[str, Mapping[str, Any]] = {}
    if baseline is not None:
        columns[f"before ({baseline['meta'].get('label', 'baseline')})"] = baseline["protocol"]
    columns[meta.get("label") or "this run"] = payload["protocol"]
    lines += [protocol_table(columns), ""]
    if baseline is not None:
        label = f"before ({baseline['meta'].get('label', 'baseline')})"
        lines += [
            f"## Before and after: emulated side, {label} vs this run",
            "",
            comparison_table(
                {
                    "before": baseline["bfcl"].get("emulated", []),
                    "after": bfcl_runs.get("emulated", []),
                },
                cost=True,
            ),
            "",
            comparison_table(
                {
                    "before": baseline["agent"].get("emulated", []),
                    "after": agent_runs.get("emulated", []),
                },
                cost=True,
            ),
            "",
        ]
    lines += [
        "`req` counts requests (a repair is one more; each is billed), `prompt tok` every",
        "request's prompt in full. A *turn* is one `invoke`/`stream` of the chat model.",
        "",
    ]
    for part, runs in (("BFCL", bfcl_runs), ("agent", agent_runs)):
        for label, results in runs.items():
            failures = [r for r in results if not r.score.valid]
            lines += [f"## Failures: {part}, {label}", ""]
            lines += [_failure(r) for r in failures] or ["(none)"]
            lines.append("")
    return "\n".join(lines)


def write(
    payload: dict[str, Any],
    *,
    markdown: Path,
    json_path: Path,
    baseline: Mapping[str, Any] | None = None,
) -> str:
    """Write the Markdown report and the JSON (every case's raw replies and verdict)."""
    text = render(payload, baseline)
    markdown.write_text(text, encoding="utf-8")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    serialisable = {
        **payload,
        "bfcl": {k: [r.as_dict() for r in v] for k, v in payload["bfcl"].items()},
        "agent": {k: [r.as_dict() for r in v] for k, v in payload["agent"].items()},
    }
    json_path.write_text(
        json.dumps(serialisable, indent=1, ensure_ascii=False, default=str) + "\n", "utf-8"
    )
    return text
