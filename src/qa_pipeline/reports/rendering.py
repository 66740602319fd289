"""The Jinja2 environment every HTML report shares, its filters, and atomic writing.

Templates live in ``reports/templates`` (package data) and autoescape: plan text reaches
a page only as escaped text. The only markup added to plan text is by :func:`marked`,
which escapes first and then wraps the rubric's placeholders and ``[pupil]``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from qa_pipeline.reports.labels import rubric
from qa_pipeline.reports.redaction import PUPIL
from qa_pipeline.results import write_atomic

# any "[key: ...]" a rewrite adds, should the rubric's wording have changed since the run
_GENERIC_PLACEHOLDER = r"\[[a-z][a-z ]*:[^\[\]\n]*\]"


@lru_cache(maxsize=1)
def _marks() -> re.Pattern[str]:
    known = sorted(rubric().feedback.placeholders.values(), key=len, reverse=True)
    parts = [re.escape(PUPIL), *(re.escape(p) for p in known), _GENERIC_PLACEHOLDER]
    return re.compile("|".join(parts))


def marked(text: object) -> Markup:
    """Escaped text with placeholders in ``<mark class="placeholder">`` and ``[pupil]`` in
    ``<span class="pupil">``."""
    if text is None:
        return Markup("")
    value = str(text)
    out: list[str] = []
    last = 0
    for m in _marks().finditer(value):
        out.append(str(escape(value[last:m.start()])))
        if m.group(0) == PUPIL:
            out.append(f'<span class="pupil" title="a pupil\'s name, removed">{escape(PUPIL)}'
                       f"</span>")
        else:
            out.append(f'<mark class="placeholder">{escape(m.group(0))}</mark>')
        last = m.end()
    out.append(str(escape(value[last:])))
    return Markup("".join(out))


def placeholder_spans(text: str) -> list[tuple[str, bool]]:
    """The text split into (piece, is_placeholder) for writers that are not HTML."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in _marks().finditer(text):
        if m.start() > last:
            pieces.append((text[last:m.start()], False))
        pieces.append((m.group(0), m.group(0) != PUPIL))
        last = m.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def pct(value: object) -> str:
    return "—" if value is None else f"{float(value):.0%}"  # type: ignore[arg-type]


def num(value: object, places: int = 2) -> str:
    return "—" if value is None else f"{float(value):.{places}f}"  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("qa_pipeline", "reports/templates"),
                      autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(marked=marked, pct=pct, num=num)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def write_bytes(path: Path, data: bytes) -> Path:
    write_atomic(path, lambda fh: fh.write(data))
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))
