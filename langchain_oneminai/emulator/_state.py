"""The emulator's mutable state: settings, stores, scripts, faults and the request log.

Everything here is shared between the server thread (the aiohttp event loop) and the thread
that drives the emulator (a test, the demo). One ``threading.Lock`` guards every store; the
lock is only ever held for a few dictionary operations and never across an ``await``.

Data flow::

    test thread ── script_chat / add_fault / add_model ──▶ EmulatorState ◀── handlers (loop thread)
                 ◀── requests / conversations / assets (copies) ──┘
"""

from __future__ import annotations

import copy
import hashlib
import random
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from langchain_oneminai.emulator._catalog_data import ModelFacts, load_catalog
from langchain_oneminai.emulator._types import (
    CHAT_FEATURE,
    EmulatorSettings,
    Fault,
    FormPart,
    RecordedRequest,
    ScriptedReply,
)


@dataclass(frozen=True, slots=True)
class StoredAsset:
    """One uploaded or generated file."""

    key: str
    """Its asset key (``fileContent.path``)."""
    uuid: str
    """Its file uuid (``fileContent.uuid``)."""
    data: bytes
    """The bytes."""
    mime: str
    """Its MIME type."""
    name: str
    """Its original file name."""


@dataclass
class _FaultEntry:
    fault: Fault
    route: str | None
    times: int | None
    rate: float | None


@dataclass
class LogEntry:
    """A request log entry while it is being served (``status`` is set as soon as it is known)."""

    method: str
    """See ``RecordedRequest``; the fields mean the same."""
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any | None
    form: list[FormPart] | None
    route: str
    key_valid: bool
    status: int = 0
    """0 until a status is sent (and for good when the connection is dropped first)."""

    def freeze(self) -> RecordedRequest:
        """The immutable, test-facing copy."""
        return RecordedRequest(
            method=self.method,
            path=self.path,
            query=dict(self.query),
            headers=dict(self.headers),
            json=self.json,
            form=list(self.form) if self.form is not None else None,
            route=self.route,
            status=self.status,
            key_valid=self.key_valid,
        )


@dataclass
class _Catalog:
    chat: dict[str, ModelFacts] = field(default_factory=dict)
    features: dict[str, dict[str, None]] = field(default_factory=dict)
    details: dict[str, ModelFacts] = field(default_factory=dict)


def _seed_catalog() -> _Catalog:
    data = load_catalog()
    return _Catalog(
        chat={m.model_id: m for m in data.chat},
        features={feature: dict.fromkeys(ids) for feature, ids in data.features.items()},
        details=dict(data.details),
    )


def uuid_from_bytes(data: bytes) -> str:
    """A uuid4-shaped string built from the first 16 bytes of ``data``."""
    return str(uuid.UUID(bytes=data[:16], version=4))


def now_utc() -> datetime:
    """The current UTC time (one place, so the clock is easy to reason about)."""
    return datetime.now(UTC)


def iso_ms(moment: datetime) -> str:
    """ISO-8601 with milliseconds and ``Z``, as ``createdAt`` (wire.md#upload-response)."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def key_stamp(moment: datetime) -> str:
    """``YYYY_MM_DD_HH_mm_ss_SSS``, the asset key time prefix (wire.md#asset-identifiers)."""
    return f"{moment:%Y_%m_%d_%H_%M_%S}_{moment.microsecond // 1000:03d}"


class EmulatorState:
    """All mutable state of one emulator; every public method is thread-safe."""

    def __init__(self, seed: int, settings: EmulatorSettings) -> None:
        self.seed = seed
        self.settings = settings
        self._lock = threading.Lock()
        seed_bytes = f"1min.ai-emulator:{seed}".encode()
        self.user_id = uuid_from_bytes(hashlib.sha256(b"user:" + seed_bytes).digest())
        self.team_id = uuid_from_bytes(hashlib.sha256(b"team:" + seed_bytes).digest())
        self.catalog = _seed_catalog()
        self._clear()

    def _clear(self) -> None:
        # Two generators: fault rolls must not shift the id sequence (and vice versa).
        self._id_rng = random.Random(self.seed)  # noqa: S311 - ids of a fake server, not secrets
        self._fault_rng = random.Random(self.seed)  # noqa: S311
        self._log: list[LogEntry] = []
        self._chat_scripts: deque[ScriptedReply] = deque()
        self._feature_scripts: dict[str, deque[ScriptedReply]] = {}
        self._faults: list[_FaultEntry] = []
        self._assets: dict[str, StoredAsset] = {}
        self._asset_keys_by_uuid: dict[str, str] = {}
        self._conversations: dict[str, dict[str, Any]] = {}

    def reset(self) -> None:
        """Forget the log, scripts, faults, assets and conversations; rewind the RNGs."""
        with self._lock:
            self._clear()

    # -- ids ------------------------------------------------------------------------------

    def new_id(self) -> str:
        """A fresh uuid4-shaped id from the seeded generator."""
        with self._lock:
            return uuid_from_bytes(self._id_rng.getrandbits(128).to_bytes(16, "big"))

    def new_digits(self) -> str:
        """Six seeded digits, the tail of generated file names (wire.md#asset-downloads example)."""
        with self._lock:
            return f"{self._id_rng.randrange(1_000_000):06d}"

    # -- request log ----------------------------------------------------------------------

    def log_start(self, entry: LogEntry) -> LogEntry:
        """Append an entry in arrival order; the caller sets ``status`` when known."""
        with self._lock:
            self._log.append(entry)
        return entry

    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the log."""
        with self._lock:
            return [entry.freeze() for entry in self._log]

    def clear_requests(self) -> None:
        """Empty the log."""
        with self._lock:
            self._log = []

    # -- scripts --------------------------------------------------------------------------

    def add_chat_script(self, reply: ScriptedReply) -> None:
        """Queue a chat reply."""
        with self._lock:
            self._chat_scripts.append(reply)

    def add_feature_script(self, feature: str, reply: ScriptedReply) -> None:
        """Queue a reply for one feature type."""
        with self._lock:
            self._feature_scripts.setdefault(feature, deque()).append(reply)

    def pop_chat_script(self) -> ScriptedReply | None:
        """The next queued chat reply, if any."""
        with self._lock:
            return self._chat_scripts.popleft() if self._chat_scripts else None

    def pop_feature_script(self, feature: str) -> ScriptedReply | None:
        """The next queued reply for ``feature``, if any."""
        with self._lock:
            queue = self._feature_scripts.get(feature)
            return queue.popleft() if queue else None

    # -- faults ---------------------------------------------------------------------------

    def add_fault(
        self, fault: Fault, route: str | None, times: int | None, rate: float | None
    ) -> None:
        """Register a fault; see ``OneMinAIEmulator.add_fault``."""
        with self._lock:
            self._faults.append(_FaultEntry(fault, route, times, rate))

    def take_fault(self, route: str) -> Fault | None:
        """The first registered fault that matches ``route`` (and wins its roll), consumed."""
        with self._lock:
            for entry in self._faults:
                if entry.route is not None and entry.route != route:
                    continue
                if entry.rate is not None and self._fault_rng.random() >= entry.rate:
                    continue
                if entry.times is not None:
                    entry.times -= 1
                    if entry.times <= 0:
                        self._faults.remove(entry)
                return entry.fault
        return None

    # -- assets ---------------------------------------------------------------------------

    def store_asset(
        self, prefix: str, name: str, data: bytes, mime: str, moment: datetime
    ) -> StoredAsset:
        """Store bytes under ``<prefix>/<YYYY_MM_DD_HH_mm_ss_SSS>_<name>``.

        wire.md#asset-identifiers.

        Two files of one name in the same millisecond would share a key and a real bucket would
        overwrite the first; the emulator moves the later one a millisecond on instead, so
        earlier references in a test run stay valid.
        """
        file_uuid = self.new_id()
        with self._lock:
            key = f"{prefix}/{key_stamp(moment)}_{name}"
            while key in self._assets:
                moment += timedelta(milliseconds=1)
                key = f"{prefix}/{key_stamp(moment)}_{name}"
            asset = StoredAsset(key, file_uuid, data, mime, name)
            self._assets[key] = asset
            self._asset_keys_by_uuid[file_uuid] = key
            return asset

    def asset(self, key: str) -> StoredAsset | None:
        """The asset stored under ``key``, if any."""
        with self._lock:
            return self._assets.get(key)

    def asset_by_uuid(self, file_uuid: str) -> StoredAsset | None:
        """The asset whose ``fileContent.uuid`` is ``file_uuid``, if any."""
        with self._lock:
            key = self._asset_keys_by_uuid.get(file_uuid)
            return self._assets.get(key) if key is not None else None

    def assets(self) -> dict[str, tuple[bytes, str]]:
        """A snapshot ``{key: (bytes, mime)}``."""
        with self._lock:
            return {key: (a.data, a.mime) for key, a in self._assets.items()}

    # -- conversations --------------------------------------------------------------------

    def create_conversation(self, conversation: dict[str, Any]) -> None:
        """Store a new conversation (must carry ``uuid``)."""
        with self._lock:
            self._conversations[conversation["uuid"]] = {**conversation, "turns": []}

    def conversation(self, conversation_id: str) -> dict[str, Any] | None:
        """A deep copy of one stored conversation, if known."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            return copy.deepcopy(found) if found is not None else None

    def conversation_turns(self, conversation_id: str) -> int | None:
        """How many turns a conversation holds (``None`` when unknown)."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            return len(found["turns"]) if found is not None else None

    def conversation_history(self, conversation_id: str) -> tuple[tuple[str, str], ...]:
        """The ``(prompt, reply)`` turns of a conversation, oldest first (empty when unknown)."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            turns = found["turns"] if found is not None else []
            return tuple((turn["prompt"], turn["reply"]) for turn in turns)

    def append_turn(self, conversation_id: str, turn: dict[str, Any]) -> None:
        """Append one user/assistant exchange (ignored when the conversation is gone)."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is not None:
                found["turns"].append(turn)

    def delete_conversation(self, conversation_id: str) -> bool:
        """Forget a conversation; ``False`` when it was unknown."""
        with self._lock:
            return self._conversations.pop(conversation_id, None) is not None

    def conversations(self) -> dict[str, dict[str, Any]]:
        """A deep copy of every conversation, oldest first."""
        with self._lock:
            return copy.deepcopy(self._conversations)

    # -- catalog --------------------------------------------------------------------------

    def add_model(
        self,
        feature: str,
        model_id: str,
        *,
        vision: bool = False,
        context: int | None = None,
        max_output: int | None = None,
    ) -> None:
        """Add a model to one feature's catalog (a new id is described as an emulator model)."""
        with self._lock:
            if feature == CHAT_FEATURE:
                self.catalog.chat[model_id] = ModelFacts(
                    model_id,
                    name=model_id,
                    provider="emulator",
                    group="emulator",
                    price=None,
                    vision=vision,
                    context=context,
                    max_output=max_output,
                    chat=True,
                )
                return
            if model_id not in self.catalog.chat and model_id not in self.catalog.details:
                self.catalog.details[model_id] = ModelFacts(
                    model_id, name=model_id, provider="emulator", group="emulator", price=None
                )
            self.catalog.features.setdefault(feature, {})[model_id] = None

    def model_ids(self, feature: str) -> list[str]:
        """The model ids one feature accepts, in catalog order."""
        with self._lock:
            if feature == CHAT_FEATURE:
                return list(self.catalog.chat)
            return list(self.catalog.features.get(feature, {}))

    def facts(self, model_id: str) -> ModelFacts | None:
        """What the catalog knows of ``model_id`` (chat models first)."""
        with self._lock:
            return self.catalog.chat.get(model_id) or self.catalog.details.get(model_id)

    def features_of(self, model_id: str) -> list[str]:
        """The ``features[]`` field: every feature whose list holds ``model_id``, then its tags."""
        with self._lock:
            found = [CHAT_FEATURE] if model_id in self.catalog.chat else []
            found += [f for f, ids in self.catalog.features.items() if model_id in ids]
            facts = self.catalog.chat.get(model_id) or self.catalog.details.get(model_id)
        tags = list(facts.tags) if facts is not None else []
        return sorted(found) + tags
