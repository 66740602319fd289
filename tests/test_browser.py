"""The reports in a real headless browser: Playwright driving Debian's Chromium.

The triage dashboard sorts and filters, the pages raise no console errors, nothing is
fetched from the network, and screenshots are taken and checked. Needs
/usr/bin/chromium (`.ci/run` and `make test` install Debian's chromium package).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from qa_pipeline.cli import main
from tests.conftest import FIXTURES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    plans = out / "plans"
    plans.mkdir()
    for p in (FIXTURES / "plans").iterdir():
        shutil.copy(p, plans / p.name)
    shutil.copy(FIXTURES / "broken" / "scanned_plan.pdf", plans / "scanned_plan.pdf")
    assert main(["run", "--engine", "local", "--plans", str(plans), "--out", str(out),
                 "--self-evaluations", str(FIXTURES / "self_evaluations.csv")]) == 0
    return out / "reports"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser: object, url: str) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return page, errors, requests


def test_dashboard_sorts_filters_and_renders(browser: object, reports: Path,
                                            tmp_path: Path) -> None:
    page, errors, requests = _open(browser, (reports / "triage.html").as_uri())
    rows = page.locator("#triage tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 14
    assert rows.first.get_attribute("data-rating") == "rejected", "rejected plans come first"
    assert page.locator("#triage").is_visible()  # type: ignore[attr-defined]

    ratings = [o.get_attribute("value") for o in  # type: ignore[attr-defined]
               page.locator("#filter-rating option").all()]
    chosen = next(v for v in ratings if v and v != "rejected")
    page.select_option("#filter-rating", chosen)  # type: ignore[attr-defined]
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all(r.get_attribute("data-rating") == chosen for r in visible)
    assert len(visible) < 14
    page.select_option("#filter-rating", "")  # type: ignore[attr-defined]
    assert sum(r.is_visible() for r in rows.all()) == 14

    page.click("#triage thead th:has-text('Quality')")  # type: ignore[attr-defined]
    qualities = [float(r.locator("td").nth(5).get_attribute("data-sort")) for r in rows.all()]
    assert qualities == sorted(qualities)

    shot = tmp_path / "triage.png"
    page.screenshot(path=str(shot), full_page=True)  # type: ignore[attr-defined]
    with Image.open(shot) as img:
        assert img.width == 1280 and img.height > 400
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 20, "the page is not blank"
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests


def test_expert_report_shows_scores_and_reasons(browser: object, reports: Path,
                                                tmp_path: Path) -> None:
    report = next((reports / "expert").glob("p01_*.html"))
    page, errors, _ = _open(browser, report.as_uri())
    assert page.locator("#overall").is_visible()  # type: ignore[attr-defined]
    targets = page.locator(".target")  # type: ignore[attr-defined]
    assert targets.count() == 4
    assert page.locator(".score").count() >= 4 * 6  # type: ignore[attr-defined]
    assert "Level" in targets.first.inner_text()
    page.screenshot(path=str(tmp_path / "expert.png"), full_page=True)  # type: ignore[attr-defined]
    assert (tmp_path / "expert.png").stat().st_size > 20_000
    assert errors == []


def test_locality_page_draws_its_charts_offline(browser: object, reports: Path,
                                               tmp_path: Path) -> None:
    pages = sorted((reports / "locality").glob("*.html"),
                   key=lambda p: p.read_text(encoding="utf-8").count('class="school"'))
    page, errors, requests = _open(browser, pages[-1].as_uri())
    chart = page.locator("#spread-chart")  # type: ignore[attr-defined]
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 20
    counts = [int(g.get_attribute("data-count")) for g in
              page.locator("#spread-chart g.bar").all()]  # type: ignore[attr-defined]
    schools = page.locator("#schools tr.school").count()  # type: ignore[attr-defined]
    assert sum(counts) == schools >= 1
    assert page.locator("#heatmap td.heat").first.is_visible()  # type: ignore[attr-defined]
    shot = tmp_path / "locality.png"
    page.screenshot(path=str(shot), full_page=True)  # type: ignore[attr-defined]
    with Image.open(shot) as img:
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
