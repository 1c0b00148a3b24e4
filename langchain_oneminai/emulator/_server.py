"""``OneMinAIEmulator``: a real HTTP server speaking the 1min.ai wire format, on its own thread.

The server is ``aiohttp.web`` on a private event loop in a daemon thread, bound to loopback.
The owning thread talks to it only through ``EmulatorState`` (lock-protected) and through
``asyncio.run_coroutine_threadsafe`` for shutdown::

    caller thread                              emulator thread (own event loop)
    ─────────────                              ────────────────────────────────
    start() ── spawn ──────────────────────▶   AppRunner + SockSite listen ── ready ─┐
      ◀───────────────────────────────────────────────────────────────────────────────┘
    script_chat / add_fault / requests ◀──▶    EmulatorState ◀──▶ Dispatcher (per request)
    stop() ── run_coroutine_threadsafe ────▶   stop accepting, cancel handlers, runner.cleanup()
           ◀── join ──────────────────────────  loop.stop(), loop.close()
"""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType, TracebackType
from typing import Any, Self

from aiohttp import web

from langchain_oneminai.emulator._brain_runner import BrainRunner
from langchain_oneminai.emulator._routes import Dispatcher
from langchain_oneminai.emulator._state import EmulatorState
from langchain_oneminai.emulator._types import (
    ROUTE_NAMES,
    Brain,
    EmulatorSettings,
    Fault,
    RecordedRequest,
    ScriptedReply,
)

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0
# Large enough for 50 MB prompts and uploads (aiohttp's default body limit is 1 MiB).
_MAX_BODY = 1024 * 1024 * 1024
# 500 simultaneous connects must not overflow the accept queue (the default backlog is 128).
_BACKLOG = 2048
# Loop turns an accepted socket needs to become a transport (or a closed one to release its fd).
_SETTLE_TURNS = 5
# Worker threads for sync brains: this many slow replies can be produced at once.
_BRAIN_WORKERS = 8


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=_BACKLOG)


async def _settle(turns: int = _SETTLE_TURNS) -> None:
    """Let callbacks already scheduled on the loop (accepts, transport closes) run."""
    for _ in range(turns):
        await asyncio.sleep(0)


class OneMinAIEmulator:
    """A local, offline stand-in for ``https://api.1min.ai`` and ``https://asset.1min.ai``.

    It serves the developer API's wire format over real HTTP on loopback (wire.md#emulator), so
    any HTTP client (``requests``, ``aiohttp``, curl) can talk to it unchanged. It is strict
    where 1min.ai is strict (key, model, required fields), answers with deterministic texts that
    say they come from an emulator, and has knobs (``settings``) for every ambiguity of the
    sources (wire.md#open-questions) and fault injection (``add_fault``) for every failure a client
    must survive.

    Example:
        .. code-block:: python

            from langchain_oneminai.emulator import OneMinAIEmulator

            with OneMinAIEmulator(api_key="emulator-key", seed=0) as emu:
                emu.script_chat("Hello!")
                # point a client at emu.base_url with API key emu.api_key
                print(emu.base_url, emu.asset_base_url)
    """

    def __init__(
        self,
        api_key: str = "emulator-key",
        seed: int = 0,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        settings: EmulatorSettings | None = None,
        brain: Brain | None = None,
    ) -> None:
        """Create a stopped emulator.

        Args:
            api_key: The key every ``/api/*`` request must send as ``API-KEY``.
            seed: Seed of the id and fault generators; a reset emulator with the same seed
                hands out the same ids.
            host: Interface to bind (loopback by default; the emulator has no security).
            port: Port to bind; 0 picks a free one (see ``port`` after ``start()``).
            settings: Initial knobs; defaults to ``EmulatorSettings()``.
            brain: Answers chat requests that no script answers: called with a
                ``BrainRequest``, it returns the reply text, or its chunks (each one an SSE
                ``content`` event), as a value, an iterable, an awaitable or an async
                iterable. Sync callables and iterables run in worker threads, several at
                once (lock inside a brain that is not thread-safe). Its failures
                are logged and answered with a 500 (before the stream) or an ``error`` event.
                Default: the deterministic built-in brain.
        """
        self._api_key = api_key
        self._brain = brain
        self._executor: ThreadPoolExecutor | None = None
        self._host = host
        self._requested_port = port
        self._state = EmulatorState(seed, settings if settings is not None else EmulatorSettings())
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._dispatcher: Dispatcher | None = None
        self._stopping: asyncio.Event | None = None
        self._listener: socket.socket | None = None
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving; returns once the socket is listening.

        Returns:
            The emulator itself.

        Raises:
            RuntimeError: if it is already running or did not start in time.
            OSError: if the address cannot be bound.
        """
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        ready = threading.Event()
        errors: list[BaseException] = []
        thread = threading.Thread(
            target=self._run, args=(ready, errors), name="oneminai-emulator", daemon=True
        )
        self._thread = thread
        thread.start()
        if not ready.wait(_START_TIMEOUT):
            raise RuntimeError("the emulator did not start in time")
        if errors:
            thread.join(_START_TIMEOUT)
            self._thread = None
            raise errors[0]
        return self

    def _run(self, ready: threading.Event, errors: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            try:
                loop.run_until_complete(self._startup())
            except BaseException as error:  # reported to start(), raised there
                errors.append(error)
                self._drop_executor()
                return
            finally:
                ready.set()
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def _drop_executor(self) -> None:
        if self._executor is not None:
            # A brain still thinking keeps its thread until it returns; nobody waits for it.
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def _startup(self) -> None:
        self._stopping = asyncio.Event()
        brain_runner = None
        if self._brain is not None:
            self._executor = ThreadPoolExecutor(
                _BRAIN_WORKERS, thread_name_prefix="oneminai-emulator-brain"
            )
            brain_runner = BrainRunner(self._brain, self._executor)
        dispatcher = Dispatcher(self._state, self._api_key, self._stopping, brain_runner)
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", dispatcher.handle)
        # A short shutdown grace: stop() has already cancelled every running handler.
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            # The emulator owns the listening socket so that stop() can stop accepting
            # before the server closes (see _shutdown).
            listener = _listen(self._host, self._requested_port)
        except BaseException:
            await runner.cleanup()
            raise
        try:
            await web.SockSite(runner, listener, backlog=_BACKLOG).start()
        except BaseException:
            listener.close()
            await runner.cleanup()
            raise
        self._runner = runner
        self._dispatcher = dispatcher
        self._listener = listener
        self._port = int(listener.getsockname()[1])
        dispatcher.asset_base_url = self.asset_base_url

    def stop(self) -> None:
        """Stop serving and release every socket; returns within a few seconds.

        Requests still in progress (a stalled stream, a long injected latency) are cancelled,
        so their clients see the connection close. Calling ``stop()`` twice is harmless.
        """
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        try:
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            future.result(_STOP_TIMEOUT)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_STOP_TIMEOUT)
            self._thread = None
            self._loop = None
            self._runner = None
            self._dispatcher = None
            self._listener = None
            self._port = None

    async def _shutdown(self) -> None:
        if self._stopping is not None:
            self._stopping.set()
        self._drop_executor()
        runner = self._runner
        if runner is None:
            return
        # Stop accepting first, then let connections already taken off the accept queue
        # become transports while the server is still open: on Python 3.11 a connection
        # whose transport is built after the server closed leaks its socket (its
        # constructor fails inside asyncio, which swallows the error).
        listener = self._listener
        if listener is not None and listener.fileno() != -1:
            asyncio.get_running_loop().remove_reader(listener.fileno())
        await _settle()
        if self._dispatcher is not None:
            self._dispatcher.cancel_all()
        server = runner.server
        await runner.cleanup()
        # Belt and braces: close whatever the server still holds and end stray tasks (a
        # connection task cancelled while it waits for its first request keeps its socket).
        if server is not None:
            for handler in server.connections:
                handler.force_close()
        current = asyncio.current_task()
        leftovers = [task for task in asyncio.all_tasks() if task is not current]
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
        await _settle()  # transports close their sockets on the next loop turns

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "stopped"
        return f"OneMinAIEmulator({where})"

    # -- addresses ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._port is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://<host>:<port>``: use it instead of ``https://api.1min.ai``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def asset_base_url(self) -> str:
        """``<base_url>/asset-host``: use it instead of ``https://asset.1min.ai``."""
        return f"{self.base_url}/asset-host"

    @property
    def api_key(self) -> str:
        """The key ``/api/*`` requests must send."""
        return self._api_key

    @property
    def seed(self) -> int:
        """The seed of the id and fault generators."""
        return self._state.seed

    @property
    def settings(self) -> EmulatorSettings:
        """The live knobs; change them at any time (each request reads them afresh)."""
        return self._state.settings

    # -- observation --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the request log, in arrival order (admin calls are not logged)."""
        return self._state.requests()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._state.clear_requests()

    @property
    def conversations(self) -> MappingProxyType[str, dict[str, Any]]:
        """A read-only snapshot: ``{uuid: {"title", "model", "type", …, "turns": [...]}}``.

        Each turn is one exchange: ``prompt``, ``reply``, ``aiRecordId``, ``model``,
        ``createdAt``, ``images``, ``files``, ``executionTime`` (seconds) and ``credit`` when
        recorded.
        """
        return MappingProxyType(self._state.conversations())

    @property
    def assets(self) -> MappingProxyType[str, tuple[bytes, str]]:
        """A read-only snapshot of stored files: ``{key: (bytes, mime)}``."""
        return MappingProxyType(self._state.assets())

    def reset(self) -> None:
        """Forget requests, scripts, faults, assets and conversations; rewind the seeded RNGs.

        Settings and models added with ``add_model`` are kept.
        """
        self._state.reset()

    # -- scripting ----------------------------------------------------------------------------

    def script_chat(self, reply: str | ScriptedReply) -> None:
        """Queue the reply of the next chat request (JSON and SSE share the queue).

        Args:
            reply: The reply text, or a ``ScriptedReply`` for exact chunks, record fields or a
                failed status.
        """
        self._state.add_chat_script(ScriptedReply(text=reply) if isinstance(reply, str) else reply)

    def script_feature(self, feature: str, reply: str | ScriptedReply) -> None:
        """Queue the result of the next ``POST /api/features`` request of type ``feature``.

        Args:
            feature: The feature type, e.g. ``"SPEECH_TO_TEXT"``.
            reply: A text (``resultObject`` becomes ``[text]``) or a ``ScriptedReply``.
        """
        scripted = ScriptedReply(text=reply) if isinstance(reply, str) else reply
        self._state.add_feature_script(feature, scripted)

    def add_fault(
        self,
        fault: Fault,
        *,
        route: str | None = None,
        times: int | None = 1,
        rate: float | None = None,
    ) -> None:
        """Make matching requests misbehave.

        Args:
            fault: What to do.
            route: ``"chat"``, ``"features"``, ``"assets"``, ``"conversations"``, ``"models"``,
                ``"download"``, ``"unknown"``, or ``None`` for any route.
            times: How many matching requests it applies to; ``None`` means forever.
            rate: Apply it to this fraction of matching requests (seeded, reproducible).

        Raises:
            ValueError: for an unknown route, ``times < 1`` or a rate outside [0, 1].
        """
        if route is not None and route not in ROUTE_NAMES:
            raise ValueError(f"route must be one of {ROUTE_NAMES} or None, not {route!r}")
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        if rate is not None and not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        self._state.add_fault(fault, route, times, rate)

    def add_model(
        self,
        feature: str,
        model_id: str,
        *,
        vision: bool = False,
        context: int | None = None,
        max_output: int | None = None,
    ) -> None:
        """Add a model to one feature's catalog (``GET /models`` and request validation).

        Args:
            feature: The feature type, e.g. ``"UNIFY_CHAT_WITH_AI"`` or ``"SUMMARIZER"``.
            model_id: The model id.
            vision: For chat models: whether it takes images.
            context: For chat models: ``creditMetadata.CONTEXT``.
            max_output: For chat models: ``creditMetadata.MAX_OUTPUT_TOKEN``.
        """
        self._state.add_model(
            feature, model_id, vision=vision, context=context, max_output=max_output
        )
