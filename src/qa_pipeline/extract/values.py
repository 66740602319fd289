"""Turn the raw text of a cell or paragraph into a field value or a list of action items.

Word and Excel keep a line break where the school typed one; PDF cells break lines where
the column wraps. So lines are kept for Word and Excel and re-flowed for PDF, except
where a new line starts a bullet or a numbered item, or follows a finished sentence.
"""

from __future__ import annotations

import re

BULLET_RE = re.compile(r"^\s*(?:[•●▪◦○■\-–—*·](?!\d)|(?:\d{1,2}|[a-z])[.)](?=\s))\s*")
SYMBOL_BULLET_RE = re.compile(r"^\s*[•●▪◦○■\-–—*·](?!\d)\s*")
EMPTY_VALUES = {"", "-", "–", "—", "n/a", "na", "x", "."}


def strip_bullet(line: str) -> str:
    return BULLET_RE.sub("", line, count=1).strip()


def is_item_start(line: str) -> bool:
    return bool(BULLET_RE.match(line)) and bool(strip_bullet(line))


def reflow(lines: list[str]) -> list[str]:
    """Join wrapped lines (PDF): a line continues the one before unless it starts an item
    or the one before ended a sentence and this one starts with a capital."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not is_item_start(line):
            prev = out[-1]
            ends = prev.endswith((".", "!", "?", ";")) and line[:1].isupper()
            if not ends:
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return out


def value_lines(text: str, reflowed: bool) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return reflow(lines) if reflowed else lines


def clean_value(text: str, reflowed: bool = False) -> str | None:
    """A field's text: lines kept (or re-flowed), bullet marks dropped; None if empty."""
    lines = value_lines(text, reflowed)
    lines = [SYMBOL_BULLET_RE.sub("", line, count=1).strip() or line for line in lines]
    value = "\n".join(line for line in lines if line).strip()
    return None if value.lower().strip(" .") in EMPTY_VALUES else value


def split_items(text: str, reflowed: bool = False) -> list[str]:
    """Action items of a cell: one per bullet or line (wrapped PDF lines joined)."""
    lines = value_lines(text, reflowed)
    has_bullets = any(is_item_start(line) for line in lines)
    items: list[str] = []
    for line in lines:
        if has_bullets and not is_item_start(line) and items:
            items[-1] = f"{items[-1]} {line}"  # a bullet's text wrapped onto a new line
            continue
        item = strip_bullet(line) if is_item_start(line) else line
        if item and item.lower().strip(" .") not in EMPTY_VALUES:
            items.append(item)
    return items


def strip_numbering(title: str) -> str:
    """'Area 1: Transition' -> 'Transition'; '1. Working with parents' -> 'Working...'."""
    title = re.sub(r"^\s*(?:area|priority|section|strand|focus(?:\s+area)?|theme)\s*"
                   r"\d+[a-z]?\s*(?:of\s*\d+)?\s*[:.\-–—)]\s*", "", title, flags=re.IGNORECASE)
    title = re.sub(r"^\s*\d+(?:\.\d+)*[.)]?\s+(?=\D)", "", title)
    return title.strip()
