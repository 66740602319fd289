"""Reports from real results: the expert's pages and queue, the SENCo's Word feedback and
the local authority's picture, with no pupil named in anything that leaves the team and
every plan text escaped in HTML."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from markupsafe import escape
from openpyxl import load_workbook

from qa_pipeline.batch import process_chunk
from qa_pipeline.framework import Framework, load_framework
from qa_pipeline.reports import load_results, write_reports
from qa_pipeline.reports.locality import slugify
from qa_pipeline.rubric import CRITERIA
from qa_pipeline.selfeval import SelfEvaluations, load_self_evaluations
from tests.conftest import FIXTURES

PUPIL = "Jayden"
SCRIPT = "<script>alert(1)</script>"
BROKEN = ("empty.docx", "corrupt.xlsx")


# --------------------------------------------------------------------------- set-up


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework()


@pytest.fixture(scope="module")
def self_evaluations(framework: Framework) -> SelfEvaluations:
    return load_self_evaluations(FIXTURES / "self_evaluations.csv", framework)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pipeline run over every fixture plan and two broken files."""
    out = tmp_path_factory.mktemp("run")
    plans = [*sorted((FIXTURES / "plans").iterdir()), *(FIXTURES / "broken" / b for b in BROKEN)]
    process_chunk([str(p) for p in plans], str(FIXTURES / "self_evaluations.csv"), str(out))
    return out


@pytest.fixture(scope="module")
def results(run_dir: Path) -> list[dict[str, Any]]:
    return load_results(run_dir)


@pytest.fixture(scope="module")
def reports(run_dir: Path, results: list[dict[str, Any]], self_evaluations: SelfEvaluations,
            framework: Framework) -> dict[str, Any]:
    return write_reports(run_dir, results, self_evaluations, framework)


def _ok(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in results if r["status"] == "ok"]


def _with_pupil_and_script(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of a real result whose plan names a pupil and carries a script tag."""
    r = copy.deepcopy(result)
    r["plan_id"] = "pupil_case"
    target = r["targets"][0]
    target["objective"] = f"Pilot with {PUPIL} (Y5) {SCRIPT}"
    target["actions"] = [*target["actions"], f"Weekly check-in for {PUPIL}"]
    target["explanations"]["area_id"] = f"matched {SCRIPT}"
    r["header"]["coach"] = f"Ms Coach {SCRIPT}"
    r["pupil_mentions"] = [
        {"text": PUPIL, "field": "objective", "where": target["provenance"]["objective"]},
        {"text": PUPIL, "field": "actions", "where": target["provenance"]["actions"][0]},
    ]
    fb = r["feedback"]
    fb["opening"] = f"Thank you for the plan; the pilot with {PUPIL} stands out."
    fb["priorities"][0]["text"] = f"Target 1 ('Pilot with {PUPIL} (Y5)'): add a baseline."
    fb["rewrites"] = [{
        "target_index": 0, "target_label": f"Target 1 ('Pilot with {PUPIL}')",
        "original": {"objective": f"Pilot with {PUPIL} (Y5)", "success_criteria": None},
        "suggested": {"objective": f"Pilot with {PUPIL} (Y5)",
                      "success_criteria": "[baseline: where are you now, and where did the "
                                          "figure come from?]"},
        "placeholders": ["baseline"]}]
    return r


# --------------------------------------------------------------------------- HTML parsing


class _Elements(HTMLParser):
    """Every start tag with its attributes and the id of the target section it is in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], str | None]] = []
        self.text: list[str] = []
        self._target: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "section" and "target" in a.get("class", "").split():
            self._target = a.get("id")
        self.elements.append((tag, a, self._target))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._target = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having_class(self, tag: str, cls: str) -> list[tuple[dict[str, str], str | None]]:
        return [(a, t) for g, a, t in self.elements
                if g == tag and cls in a.get("class", "").split()]


def _parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _docx_text(path: Path) -> str:
    """Every XML part of the document (body, tables, properties) as one string."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


# --------------------------------------------------------------------------- expert


def test_every_plan_has_an_expert_page_with_each_target_and_six_scores(
        results: list[dict[str, Any]], reports: dict[str, Any]) -> None:
    assert len(reports["expert"]) == len(results) == 13 + len(BROKEN)
    for r in _ok(results):
        path = reports["expert"][0].parent / f"{r['plan_id']}.html"
        page = path.read_text(encoding="utf-8")
        parsed = _parse(path)
        sections = [a["id"] for a, _ in parsed.having_class("section", "target")]
        assert sections == [f"target-{i + 1}" for i in range(len(r["targets"]))]
        for i, target in enumerate(r["targets"]):
            assert str(escape(target["objective"])) in page, (r["plan_id"], i)
            criteria = [a["data-criterion"] for a, t in parsed.having_class("tr", "score")
                        if t == f"target-{i + 1}"]
            assert criteria == list(CRITERIA), (r["plan_id"], i)
            levels = [int(a["data-level"]) for a, t in parsed.having_class("tr", "score")
                      if t == f"target-{i + 1}"]
            assert levels == [target["scores"][c]["level"] for c in CRITERIA]
        overall = [a for g, a, _ in parsed.elements if a.get("id") == "overall"]
        assert overall and overall[0]["data-rating"] == r["plan"]["overall"]
        flags = {a["data-flag"] for a, _ in parsed.having_class("li", "flag")}
        assert flags == set(r["plan"]["triage"]["flags"])
        # every score reason quotes the plan: each is on the page
        reason = r["targets"][0]["scores"]["measurable"]["reasons"][-1]
        assert str(escape(reason)) in page


def test_expert_page_highlights_unaddressed_gaps_and_rewrite_placeholders(
        results: list[dict[str, Any]], reports: dict[str, Any]) -> None:
    folder = reports["expert"][0].parent
    with_gap = next(r for r in _ok(results) if r["plan"]["unaddressed_gaps"])
    parsed = _parse(folder / f"{with_gap['plan_id']}.html")
    highlighted = [a["data-area"] for a, _ in parsed.having_class("tr", "unaddressed")]
    assert highlighted == with_gap["plan"]["unaddressed_gaps"]
    with_rewrite = next(r for r in _ok(results) if r["feedback"]["rewrites"])
    page = (folder / f"{with_rewrite['plan_id']}.html").read_text(encoding="utf-8")
    assert '<mark class="placeholder">[' in page


def test_a_rejected_plan_page_shows_the_error(results: list[dict[str, Any]],
                                              reports: dict[str, Any]) -> None:
    rejected = [r for r in results if r["status"] == "rejected"]
    assert {r["plan_id"] for r in rejected} == {Path(b).stem for b in BROKEN}
    for r in rejected:
        page = (reports["expert"][0].parent / f"{r['plan_id']}.html").read_text(encoding="utf-8")
        assert 'id="error"' in page and r["error"]["code"] in page
        assert str(escape(r["error"]["message"])) in page
        assert 'class="target"' not in page


# --------------------------------------------------------------------------- triage queue


def test_dashboard_lists_every_plan_in_triage_order(results: list[dict[str, Any]],
                                                    reports: dict[str, Any]) -> None:
    parsed = _parse(reports["triage"])
    table = [a for g, a, _ in parsed.elements if g == "table" and a.get("id") == "triage"]
    assert table
    rows = [a for a, _ in parsed.having_class("tr", "plan")]
    by_id = {r["plan_id"]: r for r in results}
    assert sorted(row["data-plan"] for row in rows) == sorted(by_id)

    def rank(r: dict[str, Any]) -> int:
        return 0 if r["status"] != "ok" else r["plan"]["triage"]["rank"]

    queue = [by_id[row["data-plan"]] for row in rows]
    assert [r["status"] for r in queue[:len(BROKEN)]] == ["rejected"] * len(BROKEN)
    keys = [(rank(r), -len(r["plan"]["triage"]["flags"]), r["plan"]["quality"] or -1.0)
            for r in queue]
    assert keys == sorted(keys)
    assert [int(row["data-rank"]) for row in rows] == [k[0] for k in keys]
    for row, r in zip(rows, queue, strict=True):
        la = (r["header"] or {}).get("local_authority") or "Unknown LA"
        assert row["data-la"] == la
        assert row["data-rating"] == ("rejected" if r["status"] != "ok" else r["plan"]["overall"])
    links = [a["href"] for a, _ in parsed.having_class("a", "report")]
    assert links == [f"expert/{row['data-plan']}.html" for row in rows]
    assert all((reports["triage"].parent / link).is_file() for link in links)
    selects = {a.get("id") for g, a, _ in parsed.elements if g == "select"}
    assert {"filter-la", "filter-rating"} <= selects
    options = {a.get("value") for g, a, _ in parsed.elements if g == "option"}
    assert {"Derbyshire", "Unknown LA", "rejected", "secure", "developing"} <= options


def test_pages_are_self_contained(reports: dict[str, Any]) -> None:
    pages = [reports["triage"], *reports["expert"], *reports["locality"]]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, page
        assert "<link" not in text and "src=" not in text and "@import" not in text, page


# --------------------------------------------------------------------------- SENCo docx


def test_senco_feedback_is_a_word_document_with_the_opening(
        results: list[dict[str, Any]], reports: dict[str, Any]) -> None:
    ok = _ok(results)
    assert sorted(p.stem for p in reports["senco"]) == sorted(r["plan_id"] for r in ok)
    for r in ok:
        doc = Document(str(reports["senco"][0].parent / f"{r['plan_id']}.docx"))
        paragraphs = [p.text for p in doc.paragraphs]
        assert paragraphs[0] == r["school"]["name"]
        assert r["feedback"]["opening"] in paragraphs
        assert "What the plan does well" in paragraphs
        for s in r["feedback"]["strengths"]:
            assert s["text"] in paragraphs
        if len(r["feedback"]["priorities"]) == 3:
            assert "Three things to strengthen" in paragraphs
        if r["feedback"]["rewrites"]:
            assert "Suggested rewrites" in paragraphs
            assert doc.tables and doc.tables[0].rows[0].cells[1].text == "A possible rewrite"
        # nothing about any other school
        others = {o["school"]["name"] for o in ok if o["plan_id"] != r["plan_id"]}
        body = "\n".join(paragraphs)
        assert not any(name in body for name in others if name)


# --------------------------------------------------------------------------- privacy and escaping


@pytest.fixture(scope="module")
def pupil_reports(results: list[dict[str, Any]], self_evaluations: SelfEvaluations,
                  framework: Framework, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("pupil")
    base = next(r for r in _ok(results) if r["plan_id"].startswith("p01"))
    return out, write_reports(out, [*results, _with_pupil_and_script(base)], self_evaluations,
                              framework)


def test_no_outward_report_names_a_pupil(pupil_reports: tuple[Path, dict[str, Any]]) -> None:
    out, reports = pupil_reports
    docx = out / "reports" / "senco" / "pupil_case.docx"
    assert docx in reports["senco"]
    assert PUPIL not in _docx_text(docx)
    doc_text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "[pupil]" in doc_text
    derbyshire = out / "reports" / "locality" / "derbyshire"
    for ext in ("html", "csv"):
        assert PUPIL not in derbyshire.with_suffix(f".{ext}").read_text(encoding="utf-8-sig")
    assert PUPIL.encode() not in derbyshire.with_suffix(".xlsx").read_bytes()
    assert PUPIL not in _xlsx_text(derbyshire.with_suffix(".xlsx"))
    for path in [*reports["locality"], *reports["locality_csv"], reports["triage"]]:
        assert PUPIL not in path.read_text(encoding="utf-8-sig"), path
    for path in reports["locality_xlsx"]:
        assert PUPIL not in _xlsx_text(path), path


def test_expert_page_shows_pupil_as_placeholder_with_a_flag(
        pupil_reports: tuple[Path, dict[str, Any]]) -> None:
    out, _ = pupil_reports
    path = out / "reports" / "expert" / "pupil_case.html"
    page = path.read_text(encoding="utf-8")
    assert PUPIL not in page
    assert 'id="pupil-flag"' in page and 'data-mentions="2"' in page
    assert '<span class="pupil"' in page and "Pilot with" in page
    objective = next(a for a, t in _parse(path).having_class("tr", "field")
                     if t == "target-1" and a["data-field"] == "objective")
    assert objective


def test_plan_text_is_escaped_in_html(pupil_reports: tuple[Path, dict[str, Any]]) -> None:
    out, _ = pupil_reports
    page = (out / "reports" / "expert" / "pupil_case.html").read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 0  # the expert page has no script of its own


def test_school_names_are_escaped_and_kept_as_text_in_every_format(
        results: list[dict[str, Any]], self_evaluations: SelfEvaluations, framework: Framework,
        tmp_path: Path) -> None:
    r = copy.deepcopy(next(r for r in _ok(results) if r["plan_id"].startswith("p03")))
    r["school"]["name"] = f'=HYPERLINK("x") {SCRIPT}'
    r["header"]["local_authority"] = f'Test "LA" {SCRIPT}'
    reports = write_reports(tmp_path, [r], self_evaluations, framework)
    for page in [reports["triage"], *reports["locality"]]:
        text = page.read_text(encoding="utf-8")
        assert SCRIPT not in text and "&lt;script&gt;" in text
    rows = _parse(reports["triage"]).having_class("tr", "plan")
    assert [a["data-la"] for a, _ in rows] == [r["header"]["local_authority"]]
    rows = list(csv.reader(io.StringIO(reports["locality_csv"][0].read_text("utf-8-sig"))))
    assert rows[1][0].startswith("'=HYPERLINK")
    sheet = load_workbook(reports["locality_xlsx"][0])["Schools"]
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=2, column=1).value.startswith("=HYPERLINK")


# --------------------------------------------------------------------------- locality


@pytest.fixture(scope="module")
def shared_la(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fixture results with six schools moved into one LA ("Testshire")."""
    moved = copy.deepcopy(results)
    for r in _ok(moved)[:6]:
        r["header"]["local_authority"] = "Testshire"
    return moved


def test_locality_reports_one_row_and_one_heatmap_row_per_school(
        shared_la: list[dict[str, Any]], self_evaluations: SelfEvaluations,
        framework: Framework, tmp_path: Path) -> None:
    reports = write_reports(tmp_path, shared_la, self_evaluations, framework)
    folder = tmp_path / "reports" / "locality"
    ok = _ok(shared_la)
    las = {r["header"]["local_authority"] for r in ok}
    assert sorted(p.stem for p in reports["locality"]) == sorted(slugify(la) for la in las)
    schools = [r for r in ok if r["header"]["local_authority"] == "Testshire"]
    areas = framework.area_ids()

    rows = list(csv.DictReader(io.StringIO((folder / "testshire.csv").read_text("utf-8-sig"))))
    assert sorted(row["URN"] for row in rows) == sorted(r["school"]["urn"] for r in schools)
    assert len(rows) == 6
    for row in rows:
        r = next(s for s in schools if s["school"]["urn"] == row["URN"])
        assert row["Overall"].lower().replace(" ", "_") == r["plan"]["overall"]
        assert float(row["Quality"]) == r["plan"]["quality"]
        first = framework.areas[0]
        assert float(row[f"{first.name} (baseline)"]) == r["plan"]["area_ratings"][first.id]

    parsed = _parse(folder / "testshire.html")
    cells = parsed.having_class("td", "heat")
    assert len(cells) == len(schools) * len(areas)
    assert [a["data-area"] for a, _ in cells[:len(areas)]] == areas
    bars = [a for g, a, _ in parsed.elements if g == "g" and "bar" in a.get("class", "")]
    assert sum(int(b["data-count"]) for b in bars) == 6
    for a, _ in parsed.having_class("td", "heat"):
        assert a["style"].startswith("background: #")

    book = load_workbook(folder / "testshire.xlsx")
    assert book.sheetnames == ["Schools", "Area ratings"]
    assert book["Schools"].max_row == 1 + len(schools)
    assert book["Area ratings"].max_row == 1 + len(areas)
    assert book["Area ratings"].max_column == 1 + len(schools)


def test_locality_counts_gaps_strengths_and_unaddressed_gaps(
        shared_la: list[dict[str, Any]], self_evaluations: SelfEvaluations,
        framework: Framework, tmp_path: Path) -> None:
    write_reports(tmp_path, shared_la, self_evaluations, framework)
    schools = [r for r in _ok(shared_la) if r["header"]["local_authority"] == "Testshire"]
    parsed = _parse(tmp_path / "reports" / "locality" / "testshire.html")
    counts = {a["data-area"]: a for g, a, _ in parsed.elements
              if g == "tr" and "data-gaps" in a}
    for area in framework.area_ids():
        gaps = sum(area in r["plan"]["gap_areas"] for r in schools)
        strengths = sum(area in r["plan"]["strength_areas"] for r in schools)
        assert (int(counts[area]["data-gaps"]), int(counts[area]["data-strengths"])) == (
            gaps, strengths)
    unaddressed = {a["data-area"]: int(a["data-unaddressed"]) for g, a, _ in parsed.elements
                   if g == "tr" and "data-unaddressed" in a}
    expected: dict[str, int] = {}
    for r in schools:
        for area in r["plan"]["unaddressed_gaps"]:
            expected[area] = expected.get(area, 0) + 1
    assert unaddressed == expected


def test_locality_compares_baseline_and_final_where_a_final_exists(
        reports: dict[str, Any], self_evaluations: SelfEvaluations,
        framework: Framework) -> None:
    folder = reports["locality"][0].parent
    page = (folder / "derbyshire.html").read_text(encoding="utf-8")  # Brackenfield has a final
    assert 'id="progress"' in page and 'id="progress-chart"' in page
    parsed = _parse(folder / "derbyshire.html")
    rows = [a["data-area"] for g, a, _ in parsed.elements
            if g == "tr" and "data-area" in a and "data-gaps" not in a
            and "data-unaddressed" not in a and a.get("data-urn") is None]
    assert rows[-len(framework.areas):] == framework.area_ids()
    assert any(arrow in page for arrow in ("↑", "↓", "→"))
    devon = (folder / "devon.html").read_text(encoding="utf-8")  # baseline only
    assert 'id="baseline-final-note"' in devon and 'id="progress"' not in devon


def test_locality_without_self_evaluations_uses_the_results(
        results: list[dict[str, Any]], framework: Framework, tmp_path: Path) -> None:
    reports = write_reports(tmp_path, results, None, framework)
    page = (tmp_path / "reports" / "locality" / "derbyshire.html").read_text(encoding="utf-8")
    assert 'id="baseline-final-note"' in page and "not supplied" in page
    brackenfield = next(r for r in results if r["plan_id"].startswith("p01"))
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "reports" / "locality" / "derbyshire.csv").read_text("utf-8-sig"))))
    first = framework.areas[0]
    assert float(rows[0][f"{first.name} (baseline)"]) == (
        brackenfield["plan"]["area_ratings"][first.id])
    assert len(reports["locality"]) == len({r["header"]["local_authority"]
                                             for r in _ok(results)})


# --------------------------------------------------------------------------- API


def test_write_reports_returns_every_file_and_load_results_reads_the_run(
        run_dir: Path, results: list[dict[str, Any]], reports: dict[str, Any]) -> None:
    assert [r["plan_id"] for r in results] == sorted(
        p.stem for p in (run_dir / "results").glob("*.json"))
    assert results[0] == json.loads((run_dir / "results" / f"{results[0]['plan_id']}.json")
                                    .read_text(encoding="utf-8"))
    assert set(reports) == {"triage", "expert", "senco", "locality", "locality_csv",
                            "locality_xlsx"}
    files = [reports["triage"], *(p for k, v in reports.items() if k != "triage" for p in v)]
    assert all(p.is_file() and p.stat().st_size > 0 for p in files)
    written = {p for p in (run_dir / "reports").rglob("*") if p.is_file()}
    assert written == set(files)  # nothing half-written left behind


def test_load_results_needs_a_run(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_results(tmp_path)
