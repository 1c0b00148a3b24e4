"""``python -m evals`` (``make eval-tools``): the whole side-by-side tool-calling eval.

1. Provision (``evals.provision``: runtime, model and BFCL into the cache outside the repo,
   checksum-verified; about a second when cached, a clear message when they cannot be had).
2. Load the model once (llama-cpp-python, 2 threads, greedy).
3. The **native** side: the BFCL sample and the agent cases through the model's own template.
4. The **emulated** side: the same through ``ChatOneMinAI`` on the emulator, the model its brain.
5. Print the tables and write ``evals/RESULTS.md`` and ``evals/results/eval.json``.

Generations are stored in ``<cache>/generations/`` keyed by the prompt tokens, the decoding
options, the model, the runtime and the package version. By default a run generates afresh and
only reuses a generation for a request it repeats exactly within the run (the ``stream`` twin of
an ``invoke`` case); ``--cached`` reuses any stored one (a fast rerun); ``--fresh`` none. The
report says how many requests were answered from the cache.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals import provision

EVALS_DIR = Path(__file__).resolve().parent
#: Per-reply cap. The longest reply a sampled case needs (four parallel calls) is ~180 tokens;
#: a reply that runs on past its answer (an invented transcript) costs the whole cap.
MAX_TOKENS = 320
#: This build's speed on an idle 2-core machine (measured for NATIVE_BASELINE.md): what the
#: report uses to project the run's model time when the machine was shared.
IDLE_PROMPT_TOKENS_PER_S = 68.0
IDLE_GEN_TOKENS_PER_S = 10.5


def _log(message: str) -> None:
    sys.stderr.write(f"[evals] {message}\n")
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0915 - one linear script
    """Run the eval; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("--per-category", type=int, default=None, help="BFCL cases per category")
    parser.add_argument("--multi-turn", type=int, default=None, help="BFCL multi-turn cases")
    parser.add_argument("--sides", nargs="+", choices=("native", "emulated"), default=None)
    parser.add_argument("--parts", nargs="+", choices=("bfcl", "agent"), default=None)
    parser.add_argument("--select", default=None, help="only case ids matching this regex")
    reuse = parser.add_mutually_exclusive_group()
    reuse.add_argument("--cached", action="store_true", help="reuse any stored generation")
    reuse.add_argument("--fresh", action="store_true", help="reuse no generation at all")
    parser.add_argument("--label", default="this run", help="what to call this run in tables")
    parser.add_argument("--baseline", type=Path, default=None, help="an earlier run's JSON")
    parser.add_argument("--out", type=Path, default=EVALS_DIR / "RESULTS.md")
    parser.add_argument("--json", type=Path, default=EVALS_DIR / "results" / "eval.json")
    parser.add_argument("--corpus", type=Path, default=None, help="write the emulated replies")
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument(
        "--variant", default="", help="comma-separated fixes to undo (evals.variants)"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        provision.provision()
    except provision.ProvisionError as exc:
        _log(f"cannot run the eval: {exc}")
        return 1

    # Importable only once provisioned (llama-cpp-python, bfcl-eval).
    from evals import agent, bfcl, emulated, native, report  # noqa: PLC0415
    from evals.local_llm import GenerationCache, LocalModel  # noqa: PLC0415
    from langchain_oneminai import __version__  # noqa: PLC0415

    if args.variant:
        from evals import variants  # noqa: PLC0415

        variants.apply([v for v in args.variant.split(",") if v])
        _log(f"variant: undone {args.variant}")

    manifest = provision.load_manifest()
    model = LocalModel.load()
    salt = "|".join(
        (manifest["model"]["sha256"], manifest["llama_cpp_python"]["version"], __version__)
    )
    mode = "all" if args.cached else "none" if args.fresh else "run"
    model.cache = GenerationCache(provision.CACHE / "generations", salt=salt, reuse=mode)
    _log(f"model loaded in {time.perf_counter() - started:.0f} s; generation reuse: {mode}")

    select = re.compile(args.select) if args.select else None

    def only(case_id: str) -> bool:
        return select is None or select.search(case_id) is not None

    sides = args.sides or ["native", "emulated"]
    parts = args.parts or ["bfcl", "agent"]
    per_category = bfcl.DEFAULT_PER_CATEGORY if args.per_category is None else args.per_category
    multi_count = bfcl.DEFAULT_MULTI_TURN if args.multi_turn is None else args.multi_turn
    cases = [c for c in bfcl.load_sample(per_category=per_category) if only(c.id)]
    multi_turn = [c for c in bfcl.load_multi_turn_slice(multi_count) if only(c.id)]
    if "bfcl" not in parts:
        cases, multi_turn = [], []
    run_started = time.perf_counter()
    bfcl_runs: dict[str, list[bfcl.CaseResult]] = {}
    agent_runs: dict[str, list[bfcl.CaseResult]] = {}
    protocol: dict[str, Any] = {}

    if "native" in sides:
        caller = native.NativeToolCaller(model, max_tokens=args.max_tokens)
        _log(f"native: {len(cases)} BFCL cases + {len(multi_turn)} multi-turn")
        bfcl_runs.update(
            native.run_bfcl(caller, cases, multi_turn, multi_turn_loose=(False, True), log=_log)
        )
        if "agent" in parts:
            agent_runs.update(agent.run_native(caller, log=_log, only=only))

    if "emulated" in sides:
        with emulated.EmulatedSide(model, max_tokens=args.max_tokens) as side:
            _log(f"emulated: {len(cases)} BFCL cases + {len(multi_turn)} multi-turn")
            bfcl_runs[emulated.LABEL] = emulated.run_bfcl(side, cases, multi_turn, log=_log)
            if "agent" in parts:
                agent_runs[emulated.LABEL] = agent.run_emulated(side, log=_log, only=only)
            turns = side.turns
            requests = sum(t.usage.requests for t in turns)
            protocol = {
                "turns": len(turns),
                "requests": requests,
                "requests_per_turn": requests / len(turns) if turns else 0.0,
                "repaired_turns": sum(t.usage.requests > 1 for t in turns),
                "prompt_tokens": sum(t.usage.prompt_tokens for t in turns),
                **emulated.markup_report(turns),
            }
            if args.corpus is not None:
                args.corpus.parent.mkdir(parents=True, exist_ok=True)
                corpus = [
                    {"prompt": s.prompt, "reply": s.reply, "stream": s.stream}
                    for t in turns
                    for s in t.served
                ]
                args.corpus.write_text(json.dumps(corpus, indent=1, ensure_ascii=False), "utf-8")
                _log(f"wrote {len(corpus)} generations to {args.corpus}")

    cache = model.cache
    usage = model.usage
    cache_note = (
        f"{usage.requests} requests, {cache.hits} answered from the generation cache "
        f"(reuse: {mode}"
        + ("; an identical request repeated within this run" if mode == "run" else "")
        + ")"
    )
    meta = {
        "label": args.label,
        "variant": args.variant,
        "model": manifest["model"]["name"],
        "model_file": manifest["model"]["file"],
        "model_sha256": manifest["model"]["sha256"],
        "llama_cpp_python": manifest["llama_cpp_python"]["version"],
        "bfcl_eval": bfcl.bfcl_version(),
        "package_version": __version__,
        "n_ctx": model.n_ctx,
        "n_threads": model.n_threads,
        "seed": model.seed,
        "max_tokens": args.max_tokens,
        "sample": bfcl.describe_sample(bfcl.CATEGORIES, per_category, bfcl.DEFAULT_SEED, multi_turn)
        + f" ({len(cases)} single-turn + {len(multi_turn)} multi-turn cases)",
        "agent_cases": f"{len(agent.case_ids())} ({', '.join(agent.case_ids())})",
        "machine": f"{platform.machine()} {native._cpu_model()}",
        "wall_seconds": time.perf_counter() - run_started,
        "idle_model_seconds": usage.evaluated_prompt_tokens / IDLE_PROMPT_TOKENS_PER_S
        + usage.completion_tokens / IDLE_GEN_TOKENS_PER_S,
        "cache_note": cache_note,
        "usage": usage.as_dict(),
    }
    payload: dict[str, Any] = {
        "meta": meta,
        "bfcl": bfcl_runs,
        "agent": agent_runs,
        "protocol": protocol,
    }
    baseline = report.load(args.baseline) if args.baseline else None
    text = report.write(payload, markdown=args.out, json_path=args.json, baseline=baseline)
    sys.stdout.write(text.split("\n## Failures")[0] + "\n")
    _log(f"wrote {args.out} and {args.json} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
