"""The command line end to end: the plain loop and a real Prefect flow run give the same
results, the result contract holds, and the README documents every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa_pipeline.cli import build_parser, main
from tests.conftest import FIXTURES, ROOT

CONTRACT_TARGET_KEYS = {"area_text", "area_id", "objective", "actions", "lead", "resources",
                        "deadline_text", "deadline", "success_criteria", "monitoring",
                        "progress", "scores"}


def _run(tmp_path: Path, engine: str, plans: list[Path]) -> dict[str, dict]:
    folder = tmp_path / f"plans_{engine}"
    folder.mkdir()
    for p in plans:
        shutil.copy(p, folder / p.name)
    out = tmp_path / f"out_{engine}"
    code = main(["run", "--engine", engine, "--plans", str(folder), "--out", str(out),
                 "--self-evaluations", str(FIXTURES / "self_evaluations.csv"),
                 "--chunk-size", "2"])
    assert code == 0
    return {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}


def _stable(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "timings_ms"}


def test_prefect_flow_run_matches_the_plain_loop(tmp_path: Path) -> None:
    plans = [*sorted((FIXTURES / "plans").iterdir())[:5], FIXTURES / "broken" / "empty.docx"]
    local = _run(tmp_path, "local", plans)
    prefect = _run(tmp_path, "prefect", plans)
    assert set(local) == set(prefect) == {p.stem for p in plans}
    assert {k: _stable(v) for k, v in local.items()} == {k: _stable(v) for k, v in prefect.items()}
    assert prefect["empty"]["status"] == "rejected"
    ok = [r for r in prefect.values() if r["status"] == "ok"]
    assert len(ok) == 5
    for r in ok:
        assert r["school"]["urn"] and r["targets"]
        assert all(set(t) >= CONTRACT_TARGET_KEYS for t in r["targets"])
        assert {"gap_areas", "unaddressed_gaps", "coverage", "overall",
                "needs_expert_attention"} <= set(r["plan"])


def test_missing_plans_folder_is_a_usage_error(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--plans", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert f"qa-pipeline {name}" in readme
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, f"{name} {flag} is not in the README"
