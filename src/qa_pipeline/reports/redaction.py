"""Pupils' names out of every report: each result is redacted with its own mentions.

The pipeline lists where a plan names a pupil (``pupil_mentions``). Before any report is
built the whole result passes through :func:`redact_result`, so every text a report can
show (targets, reasons, feedback, even the school and file names) reads ``[pupil]``
where the plan named a child. Only identifiers (plan id, versions, timings) are kept as
they are.
"""

from __future__ import annotations

from typing import Any

from qa_pipeline.privacy import redact

PUPIL = "[pupil]"
_IDENTIFIERS = frozenset({"plan_id", "versions", "timings_ms", "result_version"})


def pupil_names(result: dict[str, Any]) -> set[str]:
    """The pupils' names a result mentions (empty once it has been redacted)."""
    return {str(m["text"]) for m in result.get("pupil_mentions") or []
            if m.get("text") and str(m["text"]).strip() and m["text"] != PUPIL}


def names_a_pupil(result: dict[str, Any]) -> bool:
    return bool(result.get("pupil_mentions"))


def _walk(value: Any, names: set[str]) -> Any:
    if isinstance(value, str):
        return redact(value, names)
    if isinstance(value, dict):
        return {k: (v if k in _IDENTIFIERS else _walk(v, names)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, names) for v in value]
    return value


def redact_result(result: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the result with every pupil's name replaced by ``[pupil]``.

    The mentions themselves keep their field and place but lose the name, so a report
    can say where a pupil is named without naming them. Redacting twice changes nothing.
    """
    names = pupil_names(result)
    out: dict[str, Any] = _walk(result, names)
    out["pupil_mentions"] = [{**m, "text": PUPIL} for m in out.get("pupil_mentions") or []]
    return out
