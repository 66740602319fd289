"""Caching of the batch flow: an unchanged re-run redoes nothing, a deleted output is
written again, and the cache key moves with the plan's bytes and with the rubric."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.batch_flow import run_batch
from qa_pipeline import fingerprint
from qa_pipeline.config import RUBRICS_DIR
from tests.conftest import FIXTURES

SE = FIXTURES / "self_evaluations.csv"


def _mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_rerun_redoes_nothing_and_rewrites_what_was_deleted(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for p in sorted((FIXTURES / "plans").iterdir())[1::5]:
        shutil.copy(p, plans / p.name)
    out = tmp_path / "out"
    first = run_batch(plans, out, SE, chunk_size=1, workers=2)
    assert first["ok"] == len(list(plans.iterdir()))
    expert = sorted((out / "reports" / "expert").glob("*.html"))
    senco = sorted((out / "reports" / "senco").glob("*.docx"))
    assert [p.stem for p in expert] == [p.stem for p in senco] == sorted(
        p.stem for p in plans.iterdir())

    before = _mtimes(out / "results") | _mtimes(out / "reports")
    run_batch(plans, out, SE, chunk_size=1, workers=2)
    assert _mtimes(out / "results") | _mtimes(out / "reports") == before

    expert[0].unlink()
    (out / "reports" / "triage.html").unlink()
    run_batch(plans, out, SE, chunk_size=1, workers=2)
    after = _mtimes(out / "results") | _mtimes(out / "reports")
    assert expert[0].exists() and (out / "reports" / "triage.html").exists()
    untouched = [*expert[1:], *(out / "results" / f"{p.stem}.json" for p in expert[1:])]
    assert all(after[p] == before[p] for p in untouched), "only the deleted outputs are redone"


@pytest.fixture()
def own_rubrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS_DIR, rubrics)
    monkeypatch.setattr(fingerprint, "RUBRICS_DIR", rubrics)
    fingerprint.settings_fingerprint.cache_clear()
    yield rubrics
    fingerprint.settings_fingerprint.cache_clear()


def test_cache_key_follows_plan_bytes_rubric_and_reports(own_rubrics: Path,
                                                         tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    shutil.copy(next((FIXTURES / "plans").glob("*.docx")), plan)
    key = fingerprint.chunk_key([str(plan)], str(SE), str(tmp_path))
    assert fingerprint.chunk_key([str(plan)], str(SE), str(tmp_path)) == key
    assert fingerprint.chunk_key([str(plan)], str(SE), str(tmp_path), reports=False) != key

    rubric = own_rubrics / "rubric.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# the expert's edit\n",
                      encoding="utf-8")
    fingerprint.settings_fingerprint.cache_clear()
    changed_rubric = fingerprint.chunk_key([str(plan)], str(SE), str(tmp_path))
    assert changed_rubric != key, "a changed rubric must redo every plan"

    with plan.open("ab") as fh:
        fh.write(b"\0")
    assert fingerprint.chunk_key([str(plan)], str(SE), str(tmp_path)) != changed_rubric
