"""Pure text rendering for the CLI: tables and listings (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from langchain_oneminai._wire import ModelCatalog


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with left-aligned columns sized to their widest cell."""
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        for row in (headers, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def models_table(catalog: ModelCatalog, feature: str) -> str:
    """The catalog of one feature as a table.

    Chat models show vision and context size, other features their per-call credits.
    """
    if not catalog.models:
        return f"No models are listed for {feature}."
    if feature in ("UNIFY_CHAT_WITH_AI", "CHAT_WITH_AI"):
        rows = [
            [
                m.model_id,
                m.provider or "",
                "yes" if m.vision else "no",
                f"{m.context_window:,}" if m.context_window else "",
            ]
            for m in catalog.models
        ]
        body = table(["MODEL", "PROVIDER", "VISION", "CONTEXT"], rows)
    else:
        rows = [[m.model_id, m.provider or "", _credits(m.credit_metadata)] for m in catalog.models]
        body = table(["MODEL", "PROVIDER", "CREDITS/CALL"], rows)
    return f"{body}\n\n{len(catalog.models)} models for {feature}."


def _credits(metadata: dict[str, object] | None) -> str:
    value = (metadata or {}).get("ALL")
    return f"{value:,}" if isinstance(value, int | float) else ""


def file_listing(paths: Sequence[Path], root: Path) -> str:
    """One line per written file: its path (relative to ``root`` when inside it) and size."""
    lines = []
    for path in paths:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        lines.append(f"  {shown}  ({path.stat().st_size:,} bytes)")
    return "\n".join(lines)
