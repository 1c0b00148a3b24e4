"""Running a pluggable brain (``OneMinAIEmulator(brain=...)``) off the emulator's event loop.

A brain is any callable ``BrainRequest -> str | Iterable[str] | Awaitable[str] |
AsyncIterable[str]``. Whatever it is, the emulator sees one async stream of deltas::

    async def / async generator function ──call on the loop──┐
    anything else ──────────────────────call in a worker─────┤
                                                              ▼
        str ──────────────▶ one delta
        awaitable ────────▶ awaited on the loop, then as a str
        async iterable ───▶ iterated on the loop
        iterable ─────────▶ each next() in a worker thread (a slow generator never blocks)

so a slow brain stalls only its own request. Any failure (an exception, a non-text chunk, an
unknown return type) is logged and raised as ``BrainFailedError``, which the chat handler turns
into a 500 before the stream starts and into an SSE ``error`` event after.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from concurrent.futures import Executor
from typing import Any

from langchain_oneminai.emulator._stream import StreamSourceError
from langchain_oneminai.emulator._types import Brain, BrainRequest

logger = logging.getLogger("langchain_oneminai.emulator")
"""Where brain failures are logged (with their traceback)."""

_END = object()


class BrainFailedError(StreamSourceError):
    """The brain raised, or returned something that is not text; the message says which."""


def _runs_on_the_loop(brain: Brain) -> bool:
    """Whether calling ``brain`` only creates a coroutine or an async generator (cheap)."""
    call = getattr(brain, "__call__", None)  # noqa: B004 - a callable object's own method
    return any(
        inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)
        for target in (brain, call)
        if target is not None
    )


def _next(iterator: Iterator[Any]) -> Any:
    return next(iterator, _END)


def _checked(chunk: Any) -> str:
    if not isinstance(chunk, str):
        raise TypeError(f"the brain yielded {type(chunk).__name__}, not str")
    return chunk


class BrainRunner:
    """A brain and the worker threads it runs in."""

    def __init__(self, brain: Brain, executor: Executor) -> None:
        self.brain = brain
        self.executor = executor

    async def chunks(self, request: BrainRequest) -> AsyncIterator[str]:
        """The brain's reply to ``request``, delta by delta.

        Raises:
            BrainFailedError: the brain failed (already logged).
        """
        try:
            async for chunk in self._produce(request):
                yield chunk
        except BrainFailedError:
            raise
        except Exception as error:
            logger.exception("the emulator's brain failed on a %s request", request.model)
            raise BrainFailedError(
                f"The emulator's brain failed: {type(error).__name__}: {error}"
            ) from error

    async def _produce(self, request: BrainRequest) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        if _runs_on_the_loop(self.brain):
            result: Any = self.brain(request)
        else:
            result = await loop.run_in_executor(self.executor, self.brain, request)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, str):
            yield result
        elif isinstance(result, AsyncIterable):
            async for chunk in result:
                yield _checked(chunk)
        elif isinstance(result, Iterable) and not isinstance(result, bytes | bytearray):
            iterator = await loop.run_in_executor(self.executor, iter, result)
            try:
                while (
                    chunk := await loop.run_in_executor(self.executor, _next, iterator)
                ) is not _END:
                    yield _checked(chunk)
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    await self._close(loop, close)
        else:
            raise TypeError(
                f"the brain returned {type(result).__name__}; return a str, an iterable of str, "
                "an awaitable of str or an async iterable of str"
            )

    async def _close(self, loop: asyncio.AbstractEventLoop, close: Any) -> None:
        """Close a sync generator the stream stopped reading (its cleanup may block too)."""
        # RuntimeError: the executor is shutting down; ValueError: the generator is still
        # running a next() (the request was cancelled mid-chunk).
        with contextlib.suppress(RuntimeError, ValueError):
            await loop.run_in_executor(self.executor, close)


async def text_of(chunks: AsyncIterator[str]) -> str:
    """All the deltas joined (for a non-streaming reply)."""
    return "".join([chunk async for chunk in chunks])


async def started(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    """``chunks`` with its first delta already produced, so an early failure raises here.

    The chat handler calls this before the response starts: a brain that fails before its
    first delta gets a 500 rather than a stream that ends in an error event.

    Raises:
        BrainFailedError: the brain failed before its first delta.
    """
    first = await anext(chunks, _END)
    return _chain(first, chunks)


async def _chain(first: Any, rest: AsyncIterator[str]) -> AsyncIterator[str]:
    try:
        if first is _END:
            return
        yield first
        async for chunk in rest:
            yield chunk
    finally:
        aclose = getattr(rest, "aclose", None)
        if aclose is not None:
            await aclose()
