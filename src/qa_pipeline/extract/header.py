"""The plan's header block: school, URN, local authority, SENCo, headteacher, coach, date.

Headers come as labelled lines ("URN: 131004    Local Authority: Northmoor"), run
together on one line ("URN 132047 Local authority: Eastbridge SENCo: Mrs C. Mbeki"), as a
two- or four-column table, or as cells of a spreadsheet's title block. Labels are found
anywhere in a line and each value runs to the next label or separator.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa_pipeline.extract.labels import Vocabulary, fold
from qa_pipeline.models import Field, PlanHeader, Provenance, Table

SEPARATORS = re.compile(r"\s*(?:\||·|•|\t|;|\s{3,})\s*")
URN_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
SCHOOL_WORDS = re.compile(
    r"\b(school|academy|primary|junior|juniors|infant|infants|high|college|nursery|"
    r"secondary|c of e|cofe|ce|church of england|catholic|federation)\b", re.IGNORECASE)
PLAN_WORDS = re.compile(r"\s*(?:[–—:|]|\s-\s)?\s*\b(?:send|sen|inclusion|sen/d)\b.*$",
                        re.IGNORECASE)
# labels that may stand without a colon ("URN 131017", "SENCo Mrs A. Nowak")
BARE_LABELS = {"urn", "senco", "sendco", "local authority", "peer coach", "headteacher",
               "head teacher", "principal", "coach", "send coach"}
SMALL_WORDS = {"of", "and", "the", "in", "at", "for", "on"}
KEEP_CASE = {"CE", "CofE", "RC", "URN", "C", "E", "VA", "VC", "SEND", "SEN"}


@lru_cache(maxsize=4)
def _label_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    words: list[str] = []
    for entry in vocab.header._entries:  # longest first
        words.append(r"\s+".join(re.escape(w) for w in entry[0]))
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")(?![A-Za-z0-9])\s*(:)?",
                      re.IGNORECASE)


def header_pairs(line: str, vocab: Vocabulary) -> list[tuple[str, str]]:
    """Label-value pairs in one line of a header block."""
    pattern = _label_pattern(vocab)
    hits: list[tuple[int, int, str]] = []
    for m in pattern.finditer(line):
        label = " ".join(fold(m.group(1)))
        before = line[:m.start()]
        at_segment_start = not before.strip() or bool(re.search(r"(?:[|·•;\t]|\s{2,})\s*$",
                                                                  before))
        if m.group(2) is not None or (label in BARE_LABELS and at_segment_start):
            hits.append((m.start(), m.end(), label))
    pairs: list[tuple[str, str]] = []
    for i, (_, end, label) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(line)
        value = SEPARATORS.split(line[end:stop].strip())[0].strip(" ,;|·•-–")
        match = vocab.header.match(label, 0)
        if match is not None and any(ch.isalnum() for ch in value):
            pairs.append((match.field, value))
    # "Northmoor LA": one word before, since a name may run into it ("Mr O. Petrov Eastbridge
    # LA" on a PDF line whose gaps were lost)
    la = re.search(r"(?<![A-Za-z.])([A-Z][a-z]+)\s+(?:LA|Local Authority)\b", line)
    if la and not any(f == "local_authority" for f, _ in pairs):
        pairs.append(("local_authority", la.group(1)))
    return pairs


class HeaderBuilder:
    """Fills a :class:`PlanHeader` from lines and tables; the first value found wins."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.header = PlanHeader()
        self.title_candidates: list[Field] = []

    def _set(self, name: str, value: str, provenance: Provenance) -> None:
        if name == "urn":
            m = URN_RE.search(value)
            if m is None:
                return
            value = m.group(1)
        value = " ".join(value.split())
        if getattr(self.header, name) is None and value:
            setattr(self.header, name, Field(text=value, provenance=provenance))

    def line(self, text: str, provenance: Provenance) -> None:
        for part in text.split("\n"):
            pairs = header_pairs(part, self.vocab)
            for name, value in pairs:
                self._set(name, value, provenance)
            if not pairs:
                self.title_candidates.append(Field(text=part.strip(), provenance=provenance))

    def table(self, table: Table, rows: range | None = None) -> None:
        for r in rows if rows is not None else range(table.n_rows):
            row = table.rows[r]
            cells = [c for i, c in enumerate(row) if c.text.strip()
                     and not (c.merged_copy and i and row[i - 1].text == c.text)]
            i = 0
            while i < len(cells):
                cell = cells[i]
                label = cell.text.strip().rstrip(":").strip()
                m = self.vocab.header.match(label, 0) if len(label) < 40 else None
                if m is not None and i + 1 < len(cells) and \
                        self.vocab.header.match(cells[i + 1].text.strip().rstrip(":"), 0) is None:
                    self._set(m.field, cells[i + 1].text,
                              table.cell_provenance(r, cells[i + 1].col))
                    i += 2
                    continue
                self.line(cell.text, table.cell_provenance(r, cell.col))
                i += 1

    def finish(self) -> PlanHeader:
        if self.header.school_name is None:
            name = school_name_from_titles(self.title_candidates)
            if name is not None:
                self.header.school_name = name
        return self.header


def school_name_from_titles(candidates: list[Field]) -> Field | None:
    """The school's name from the document's title lines, e.g. 'COBBOLD STREET PRIMARY
    SCHOOL — SEND ACTION PLAN' -> 'Cobbold Street Primary School'."""
    for cand in candidates[:8]:
        text = cand.text.strip()
        if not SCHOOL_WORDS.search(text):
            continue
        name = PLAN_WORDS.sub("", text).strip(" –—-:|")
        name = re.split(r"\s[–—|]\s|\s-\s", name)[0].strip()
        if not name or not SCHOOL_WORDS.search(name) or len(name.split()) > 10:
            continue
        if name.isupper():
            name = title_case(name)
        return Field(text=name, provenance=cand.provenance, label="title")
    return None


def title_case(text: str) -> str:
    out: list[str] = []
    for i, word in enumerate(text.split()):
        lower = word.lower()
        if word in KEEP_CASE:
            out.append(word)
        elif i and lower in SMALL_WORDS:
            out.append(lower)
        else:
            out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)
