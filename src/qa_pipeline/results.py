"""The result contract (formats.md): one JSON file a plan, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import joblib

from qa_pipeline.models import TARGET_FIELDS, PlanResult, Target

RESULT_VERSION = "result.v1"


def target_to_dict(target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in TARGET_FIELDS:
        value = getattr(target, name)
        if name == "actions":
            out[name] = [f.text for f in value]
        else:
            out[name] = value.text if value is not None else None
        if name == "area_text":
            out["area_id"] = target.area_id
        if name == "deadline_text":
            out["deadline"] = target.deadline.isoformat() if target.deadline else None
    out["scores"] = {c: s.to_dict() for c, s in target.scores.items()}
    out["explanations"] = {"area_id": target.area_reason, "deadline": target.deadline_reason}
    out["provenance"] = {
        name: ([f.provenance.describe() for f in getattr(target, name)] if name == "actions"
               else getattr(target, name).provenance.describe())
        for name in TARGET_FIELDS if getattr(target, name)
    }
    return out


def result_to_dict(result: PlanResult) -> dict[str, Any]:
    school = result.school
    judgement = result.plan
    return {
        "plan_id": result.plan_id,
        "status": result.status,
        "error": result.error.to_dict() if result.error else None,
        "school": {
            "name": (result.header.school_name.text
                     if result.header and result.header.school_name else
                     (school.name if school else None)),
            "urn": school.urn if school and school.urn else (
                result.header.urn.text if result.header and result.header.urn else None),
            **({"self_evaluation": school.to_dict()} if school else {}),
        },
        "header": result.header.to_dict() if result.header else None,
        "source": result.source,
        "layout": result.layout,
        "targets": [target_to_dict(t) for t in result.targets],
        "plan": {
            "gap_areas": judgement.gap_areas,
            "strength_areas": judgement.strength_areas,
            "unaddressed_gaps": judgement.unaddressed_gaps,
            "coverage": judgement.coverage,
            "area_ratings": judgement.area_ratings,
            "quality": judgement.quality,
            "overall": judgement.overall,
            "overall_reason": judgement.overall_reason,
            "needs_expert_attention": judgement.needs_expert_attention,
            "triage": {"rank": judgement.triage_rank, "rule": judgement.triage_rule,
                       "flags": judgement.flags},
            "reasons": judgement.reasons,
        },
        "feedback": result.feedback,
        "pupil_mentions": result.pupil_mentions,
        "versions": result.versions,
        "notes": result.notes,
        "timings_ms": result.timings_ms,
        "result_version": RESULT_VERSION,
    }


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write to a temporary file beside ``path`` and rename it into place: a reader sees
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; results are shared like any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    write_atomic(path, lambda fh: fh.write(text))


def dump_atomic(obj: Any, path: Path) -> None:
    """Persist a trained model with joblib, atomically."""
    write_atomic(path, lambda fh: joblib.dump(obj, fh))


def write_result(out_dir: Path, data: dict[str, Any]) -> Path:
    """Write a result (as :func:`result_to_dict` gives it) to ``OUT/results/<plan_id>.json``."""
    path = out_dir / "results" / f"{data['plan_id']}.json"
    write_json_atomic(path, data)
    return path
