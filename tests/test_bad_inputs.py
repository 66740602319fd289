"""Every kind of bad file is rejected with its code and a message naming the file, and a
batch with bad files in it still processes the good ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from qa_pipeline.batch import cached_context
from qa_pipeline.cli import main
from qa_pipeline.pipeline import process_plan
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken"
# "- `empty.docx` — 0-byte file → `empty_file`" lines of fixtures/broken/README.md
EXPECTED = {m.group(1): m.group(2) for m in re.finditer(r"^- `([^`]+)` — .*?→ `(\w+)",
                                                         (BROKEN / "README.md").read_text(),
                                                         re.MULTILINE)}


def test_every_broken_fixture_is_listed() -> None:
    files = {p.name for p in BROKEN.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED)
    assert len(files) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_rejected_with_its_code(name: str) -> None:
    result = process_plan(BROKEN / name, cached_context(None))
    assert result.status == "rejected"
    assert result.error is not None
    assert result.error.code == EXPECTED[name]
    assert name in result.error.message or result.error.code == "no_targets"
    assert result.targets == []


def test_a_batch_with_bad_files_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("empty.docx", "scanned_plan.pdf", "corrupt.xlsx"):
        shutil.copy(BROKEN / name, plans / name)
    for good in sorted((FIXTURES / "plans").iterdir())[:3]:
        shutil.copy(good, plans / good.name)
    out = tmp_path / "out"
    assert main(["run", "--engine", "local", "--plans", str(plans), "--out", str(out),
                 "--self-evaluations", str(FIXTURES / "self_evaluations.csv")]) == 0
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert len(results) == 6
    assert sum(r["status"] == "ok" for r in results.values()) == 3
    assert results["scanned_plan"]["error"]["code"] == "scanned_pdf"
    assert not list((out / "results").glob(".*.tmp")), "no half-written files left"
    printed = capsys.readouterr().out
    assert "6 plans" in printed and "3 ok, 3 rejected" in printed


def test_two_files_with_one_plan_name_give_one_result_that_says_so(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    docx = next((FIXTURES / "plans").glob("*.docx"))
    pdf = next((FIXTURES / "plans").glob("*.pdf"))
    shutil.copy(docx, plans / "our_plan.docx")
    shutil.copy(pdf, plans / "our_plan.pdf")
    shutil.copy(pdf, plans / "our_plan.v2.pdf")  # a different plan id: read on its own
    out = tmp_path / "out"
    assert main(["run", "--engine", "local", "--no-reports", "--plans", str(plans),
                 "--out", str(out)]) == 0
    results = {p.name for p in (out / "results").glob("*.json")}
    assert results == {"our_plan.json", "our_plan.v2.json"}
    result = json.loads((out / "results" / "our_plan.json").read_text())
    assert result["source"] == "our_plan.docx" and result["status"] == "ok"
    assert any("'our_plan.pdf'" in n and "not read" in n for n in result["notes"])
    other = json.loads((out / "results" / "our_plan.v2.json").read_text())
    assert not any("same name" in n for n in other["notes"])
