"""``make bench``: ChatOneMinAI side by side with raw HTTP baselines and ChatOpenAI.

Both servers run in their own processes on loopback (the 1min.ai emulator, and a minimal
OpenAI-compatible server), so the client under test has its core to itself and server time
is the same for every client of a server. Every row compares like with like:

* per-call overhead = client latency - raw latency against the SAME server (the raw baseline
  is ``requests``/``aiohttp`` doing the same POST and JSON parse);
* streaming: the same 5,000 chunks of text from each server;
* concurrency: 500 concurrent ``ainvoke`` with 100 ms server latency, and ``batch`` with
  ``max_concurrency=32``;
* import time of ``langchain_oneminai`` vs ``langchain_openai`` in fresh processes;
* peak memory (tracemalloc) while streaming a 50 MB reply, in a fresh process.

Results are printed and written to ``benchmarks/RESULTS.md``. This is not a test: numbers
depend on the machine; the targets are checked and reported, never asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import requests

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
KEY = "bench-key"
PROMPT = "ping"
N_CALLS = int(os.environ.get("BENCH_CALLS", "300"))
N_STREAM_CHUNKS = 5000
STREAM_RUNS = int(os.environ.get("BENCH_STREAM_RUNS", "5"))
CONCURRENT = 500
LATENCY = 0.1


@dataclass
class Row:
    """One line of the results table."""

    name: str
    ours: float
    reference: float
    unit: str
    target: str
    met: bool
    note: str = ""


# -- servers -----------------------------------------------------------------------------


@contextmanager
def serve(argv: list[str], pattern: str) -> Iterator[str]:
    """Run a server process; yield the base URL it prints."""
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT.parent
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            match = re.search(pattern, line)
            if match:
                yield match.group(1)
                return
        raise RuntimeError(f"server did not start: {argv}")
    finally:
        process.terminate()
        process.wait(timeout=10)


def admin(base: str, path: str, body: Any) -> None:
    requests.post(f"{base}{path}", json=body, timeout=30).raise_for_status()


def chat_openai(oai: str, *, in_loop: bool = False) -> Any:
    """ChatOpenAI on the reference server. Inside an event loop it gets its own httpx client:
    langchain-openai caches one async client per process, which breaks ("Event loop is closed")
    as soon as a second ``asyncio.run`` uses it (langchain#35783)."""
    import httpx
    from langchain_openai import ChatOpenAI

    extra = {"http_async_client": httpx.AsyncClient(timeout=60)} if in_loop else {}
    return ChatOpenAI(
        model="gpt-4o-mini", api_key="x", base_url=f"{oai}/v1", max_retries=0, **extra
    )  # type: ignore[arg-type]


# -- measurement helpers -------------------------------------------------------------------


def median_ms(fn: Callable[[], Any], n: int, warmup: int = 20) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def amedian_ms(fn: Callable[[], Any], n: int, warmup: int = 20) -> float:
    for _ in range(warmup):
        await fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


# -- the rows -----------------------------------------------------------------------------


def invoke_rows(emu: str, oai: str) -> list[Row]:
    from langchain_oneminai import ChatOneMinAI

    reply = ChatOneMinAI(api_key=KEY, base_url=emu).invoke(PROMPT).text
    admin(oai, "/_config", {"chunks": [reply], "latency": 0.0})
    ours = ChatOneMinAI(api_key=KEY, base_url=emu, max_retries=0)
    theirs = chat_openai(oai)
    session = requests.Session()
    emu_body = {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "promptObject": {"prompt": PROMPT},
    }
    oai_body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": PROMPT}]}

    def raw_emu() -> str:
        return session.post(
            f"{emu}/api/chat-with-ai", json=emu_body, headers={"API-KEY": KEY}, timeout=30
        ).json()["aiRecord"]["aiRecordDetail"]["resultObject"][0]

    def raw_oai() -> str:
        return session.post(f"{oai}/v1/chat/completions", json=oai_body, timeout=30).json()[
            "choices"
        ][0]["message"]["content"]

    t_raw_emu = median_ms(raw_emu, N_CALLS)
    t_ours = median_ms(lambda: ours.invoke(PROMPT), N_CALLS)
    t_raw_oai = median_ms(raw_oai, N_CALLS)
    t_theirs = median_ms(lambda: theirs.invoke(PROMPT), N_CALLS)
    over_ours, over_theirs = t_ours - t_raw_emu, t_theirs - t_raw_oai
    rows = [
        Row(
            "invoke: overhead over raw requests (ms/call)",
            over_ours,
            over_theirs,
            "ms",
            "≤ ChatOpenAI; ≤ 0.5 ms over raw",
            over_ours <= over_theirs and over_ours <= 0.5,
            f"latency ours {t_ours:.2f} vs raw {t_raw_emu:.2f}; ChatOpenAI {t_theirs:.2f} vs raw {t_raw_oai:.2f}",
        ),
    ]

    async def async_rows() -> Row:
        async with aiohttp.ClientSession() as client:

            async def araw_emu() -> str:
                async with client.post(
                    f"{emu}/api/chat-with-ai", json=emu_body, headers={"API-KEY": KEY}
                ) as r:
                    return (await r.json())["aiRecord"]["aiRecordDetail"]["resultObject"][0]

            async def araw_oai() -> str:
                async with client.post(f"{oai}/v1/chat/completions", json=oai_body) as r:
                    return (await r.json())["choices"][0]["message"]["content"]

            a_raw_emu = await amedian_ms(araw_emu, N_CALLS)
            a_ours = await amedian_ms(lambda: ours.ainvoke(PROMPT), N_CALLS)
            a_raw_oai = await amedian_ms(araw_oai, N_CALLS)
            async_theirs = chat_openai(oai, in_loop=True)
            a_theirs = await amedian_ms(lambda: async_theirs.ainvoke(PROMPT), N_CALLS)
        over_a, over_at = a_ours - a_raw_emu, a_theirs - a_raw_oai
        return Row(
            "ainvoke: overhead over raw aiohttp (ms/call)",
            over_a,
            over_at,
            "ms",
            "≤ ChatOpenAI; ≤ 0.5 ms over raw",
            over_a <= over_at and over_a <= 0.5,
            f"latency ours {a_ours:.2f} vs raw {a_raw_emu:.2f}; ChatOpenAI {a_theirs:.2f} vs raw {a_raw_oai:.2f}",
        )

    rows.append(asyncio.run(async_rows()))
    return rows


def stream_rows(emu: str, oai: str) -> list[Row]:
    from langchain_oneminai import ChatOneMinAI

    chunks = [f"tok{i:04d} " for i in range(N_STREAM_CHUNKS)]
    admin(oai, "/_config", {"chunks": chunks, "latency": 0.0})
    ours = ChatOneMinAI(api_key=KEY, base_url=emu)
    theirs = chat_openai(oai)

    def script() -> None:
        admin(emu, "/_emulator/script", {"route": "chat", "reply": {"chunks": chunks}})

    def measure(
        run: Callable[[], Iterator[Any]], before: Callable[[], None] | None = None
    ) -> tuple[float, float]:
        rates, firsts = [], []
        for _ in range(STREAM_RUNS + 1):
            if before:
                before()
            started = time.perf_counter()
            first = None
            count = 0
            for piece in run():
                if first is None and piece:
                    first = time.perf_counter() - started
                count += 1
            total = time.perf_counter() - started
            rates.append(N_STREAM_CHUNKS / total)
            firsts.append((first or total) * 1000)
        return statistics.median(rates[1:]), statistics.median(firsts[1:])

    def raw_sse() -> Iterator[str]:
        body = {
            "type": "UNIFY_CHAT_WITH_AI",
            "model": "gpt-4o-mini",
            "promptObject": {"prompt": PROMPT},
        }
        with requests.post(
            f"{emu}/api/chat-with-ai?isStreaming=true",
            json=body,
            headers={"API-KEY": KEY},
            stream=True,
            timeout=60,
        ) as r:
            event = ""
            for line in r.iter_lines(decode_unicode=True):
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "content":
                    yield json.loads(line[5:])["content"]

    def ours_stream() -> Iterator[str]:
        return (c.text for c in ours.stream(PROMPT) if c.text)

    def theirs_stream() -> Iterator[str]:
        return (c.text for c in theirs.stream(PROMPT) if c.text)

    raw_rate, raw_first = measure(raw_sse, script)
    our_rate, our_first = measure(ours_stream, script)
    their_rate, their_first = measure(theirs_stream)

    async def async_measure(
        make: Callable[[], Any], before: Callable[[], None] | None
    ) -> tuple[float, float]:
        rates, firsts = [], []
        for _ in range(STREAM_RUNS + 1):
            if before:
                before()
            started = time.perf_counter()
            first = None
            async for chunk in make():
                if first is None and chunk.text:
                    first = time.perf_counter() - started
            total = time.perf_counter() - started
            rates.append(N_STREAM_CHUNKS / total)
            firsts.append((first or total) * 1000)
        return statistics.median(rates[1:]), statistics.median(firsts[1:])

    our_arate, our_afirst = asyncio.run(async_measure(lambda: ours.astream(PROMPT), script))

    async def theirs_async() -> tuple[float, float]:
        model = chat_openai(oai, in_loop=True)
        return await async_measure(lambda: model.astream(PROMPT), None)

    their_arate, their_afirst = asyncio.run(theirs_async())
    return [
        Row(
            "stream(): chunks per second",
            our_rate,
            their_rate,
            "chunks/s",
            "≥ ChatOpenAI",
            our_rate >= their_rate,
            f"raw SSE baseline {raw_rate:,.0f}/s",
        ),
        Row(
            "stream(): time to first token (ms)",
            our_first,
            their_first,
            "ms",
            "≤ ChatOpenAI",
            our_first <= their_first,
            f"raw SSE baseline {raw_first:.1f} ms",
        ),
        Row(
            "astream(): chunks per second",
            our_arate,
            their_arate,
            "chunks/s",
            "≥ ChatOpenAI",
            our_arate >= their_arate,
        ),
        Row(
            "astream(): time to first token (ms)",
            our_afirst,
            their_afirst,
            "ms",
            "≤ ChatOpenAI",
            our_afirst <= their_afirst,
        ),
    ]


def concurrency_rows(emu: str, oai: str) -> list[Row]:
    from langchain_oneminai import ChatOneMinAI

    admin(emu, "/_emulator/settings", {"latency": LATENCY})
    admin(oai, "/_config", {"chunks": ["pong"], "latency": LATENCY})
    ours = ChatOneMinAI(api_key=KEY, base_url=emu, max_retries=0)
    theirs = chat_openai(oai)

    async def burst(model: Any) -> tuple[float, int]:
        await model.ainvoke(PROMPT)  # open the pool first: connection setup is not the point
        started = time.perf_counter()
        await asyncio.gather(*(model.ainvoke(f"{PROMPT} {i}") for i in range(CONCURRENT)))
        wall = time.perf_counter() - started
        sessions = model._client().open_async_sessions if isinstance(model, ChatOneMinAI) else -1
        return wall, sessions

    our_wall, sessions = asyncio.run(burst(ours))

    async def theirs_burst() -> tuple[float, int]:
        return await burst(chat_openai(oai, in_loop=True))

    their_wall, _ = asyncio.run(theirs_burst())
    inputs = [f"{PROMPT} {i}" for i in range(320)]
    started = time.perf_counter()
    ours.batch(inputs, config={"max_concurrency": 32})
    our_batch = time.perf_counter() - started
    started = time.perf_counter()
    theirs.batch(inputs, config={"max_concurrency": 32})
    their_batch = time.perf_counter() - started
    admin(emu, "/_emulator/settings", {"latency": 0.0})
    ideal_batch = len(inputs) / 32 * LATENCY
    return [
        Row(
            f"{CONCURRENT} concurrent ainvoke: wall / ideal {LATENCY * 1000:.0f} ms",
            our_wall / LATENCY,
            their_wall / LATENCY,
            "×",
            "< 1.5×, one session, ≤ ChatOpenAI",
            our_wall / LATENCY < 1.5 and sessions == 1 and our_wall <= their_wall,
            f"sessions opened: {sessions}",
        ),
        Row(
            "batch(320, max_concurrency=32): wall / ideal",
            our_batch / ideal_batch,
            their_batch / ideal_batch,
            "×",
            "≤ ChatOpenAI",
            our_batch <= their_batch,
            f"ideal {ideal_batch:.1f} s",
        ),
    ]


def import_rows() -> list[Row]:
    def cost(statement: str) -> float:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run([PYTHON, "-c", statement], check=True, cwd=ROOT.parent)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000

    empty = cost("pass")
    ours = cost("import langchain_oneminai") - empty
    theirs = cost("import langchain_openai") - empty
    leaked = subprocess.run(
        [
            PYTHON,
            "-c",
            "import sys, langchain_oneminai; print(sorted(m for m in sys.modules if m.startswith('langchain_oneminai.emulator')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT.parent,
    ).stdout.strip()
    return [
        Row(
            "import time (ms, fresh process)",
            ours,
            theirs,
            "ms",
            "≤ langchain_openai",
            ours <= theirs,
            f"emulator modules imported: {leaked}",
        )
    ]


MEMORY_SCRIPT = """
import sys, tracemalloc, requests
from langchain_oneminai import ChatOneMinAI
base, size = sys.argv[1], int(sys.argv[2])
piece = "x" * 49_999 + " "
requests.post(base + "/_emulator/script", json={"route": "chat", "reply": {"chunks": [piece] * (size // len(piece))}}, timeout=120).raise_for_status()
model = ChatOneMinAI(api_key="bench-key", base_url=base, timeout=(10, 120))
tracemalloc.start()
received = 0
for chunk in model.stream("big"):
    received += len(chunk.text)
current, peak = tracemalloc.get_traced_memory()
print(received, peak)
"""


def memory_rows(emu: str) -> list[Row]:
    size = 50 * 1000 * 1000
    out = subprocess.run(
        [PYTHON, "-c", MEMORY_SCRIPT, emu, str(size)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT.parent,
        timeout=300,
    )
    received, peak = (int(x) for x in out.stdout.split())
    ratio = peak / received
    return [
        Row(
            "peak memory streaming a 50 MB reply (× reply size)",
            ratio,
            3.0,
            "×",
            "< 3×",
            ratio < 3.0,
            f"{received / 1e6:.0f} MB received, peak {peak / 1e6:.0f} MB (tracemalloc)",
        )
    ]


# -- report ---------------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    head = "| benchmark | ChatOneMinAI | reference | ratio | target | met |\n|---|---:|---:|---:|---|:-:|"
    lines = [head]
    for row in rows:
        ratio = row.ours / row.reference if row.reference else float("nan")
        lines.append(
            f"| {row.name} | {row.ours:,.2f} | {row.reference:,.2f} | {ratio:.2f} | {row.target} | {'yes' if row.met else '**no**'} |"
        )
    notes = "\n".join(f"- {row.name}: {row.note}" for row in rows if row.note)
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    return (
        "# Benchmarks\n\n"
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')} ({machine}). Reference column: "
        "ChatOpenAI (langchain-openai) against a minimal OpenAI-compatible loopback server, except "
        "the memory row (the target). Medians; servers run in their own processes.\n\n"
        + "\n".join(lines)
        + "\n\nNotes:\n"
        + notes
        + "\n"
    )


def main() -> None:
    rows: list[Row] = []
    emulator_argv = [PYTHON, "-m", "langchain_oneminai.emulator", "--port", "0", "--api-key", KEY]
    with (
        serve(emulator_argv, r"base URL:\s+(\S+)") as emu,
        serve([PYTHON, "-m", "benchmarks.openai_server"], r"(http://\S+)") as oai,
    ):
        for section in (
            lambda: invoke_rows(emu, oai),
            lambda: stream_rows(emu, oai),
            lambda: concurrency_rows(emu, oai),
            lambda: memory_rows(emu),
        ):
            for row in section():
                rows.append(row)
                print(
                    f"{row.name}: {row.ours:,.2f} vs {row.reference:,.2f} ({row.note})", flush=True
                )
    rows += import_rows()
    report = render(rows)
    (ROOT / "RESULTS.md").write_text(report)
    print("\n" + report)


if __name__ == "__main__":
    main()
