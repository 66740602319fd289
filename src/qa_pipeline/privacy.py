"""Pupils' names in plans: find them so that outward reports can leave them out.

Plans sometimes name a child ("Pilot with Jayden (Y5)", "screener for J.S. in Y4",
"Lily-Mae B. (Y1) first"). Staff are named with a title (Mrs Patel) or as leads; pupils
by a first name, a first name and initial, or initials, usually beside a year group.
The trained spaCy pipeline's part-of-speech tags and entities find proper names; the
rules here keep those that read as a pupil's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa_pipeline.language import language_tools, parsed
from qa_pipeline.models import Target

TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx", "sir", "dame", "rev"}
YEAR_GROUP = re.compile(r"^(?:y|yr|year)\s?\d{1,2}$|^\(?(?:y|yr)\d{1,2}\)?$|^ks\d$|^reception$",
                        re.IGNORECASE)
INITIALS = re.compile(r"\b([A-Z]\.\s?[A-Z]\.?)(?=[\s,;)]|$)")
NAME_AND_INITIAL = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s[A-Z]\.)(?=[\s,;)]|$)")
# words that look like names in plans but are not people
NOT_NAMES = {
    "send", "sen", "senco", "sendco", "ehcp", "ehcps", "lexia", "nessy", "wellcomm", "boxall",
    "edukey", "cpoms", "arbor", "sims", "elsa", "makaton", "widgit", "salford", "sandwell",
    "pira", "puma", "ngrt", "lucid", "apdr", "slt", "ht", "dht", "aht", "hlta", "ta", "tas",
    "inset", "cpd", "eef", "iqm", "camhs", "salt", "ep", "la", "pe", "ks1", "ks2", "ks3",
    "ks4", "eyfs", "fgb", "lgb", "ect", "ects", "pfa", "sendiass", "qft", "rag", "amber",
    "green", "red", "autumn", "spring", "summer", "christmas", "easter", "monday", "tuesday",
    "wednesday", "thursday", "friday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "sept", "english",
    "maths", "science", "reception", "year", "pupil", "pupils", "staff", "parents",
    "governors", "teams", "google", "microsoft", "forms", "zones", "regulation", "talk",
    "boost", "neli", "precision", "teaching", "team", "teach", "dojo", "class", "golden",
    "head", "deputy", "lead", "leader", "coordinator", "officer", "manager", "adviser",
    "trust", "academy", "school", "primary", "council", "local", "offer", "careers",
}


@dataclass(frozen=True)
class PupilMention:
    text: str
    field: str
    where: str


def _candidates(text: str) -> list[str]:
    found: list[str] = []
    found += NAME_AND_INITIAL.findall(text)
    found += [m for m in INITIALS.findall(text) if not _staff_initials(text, m)]
    doc = parsed(text)
    plan_words = _lexicon_words()
    for i, tok in enumerate(doc):
        if not tok.text[:1].isupper() or len(tok.text) < 3 or tok.lower_ in NOT_NAMES \
                or tok.lower_ in plan_words:
            continue
        if tok.is_sent_start and not (i + 1 < len(doc) and doc[i + 1].text == "("):
            continue  # a capital at a sentence start is no sign of a name
        if tok.pos_ != "PROPN" and tok.ent_type_ not in ("PERSON", "GPE", "ORG", "NORP"):
            continue
        prev = doc[i - 1].lower_.strip(".") if i else ""
        if prev in TITLES or tok.text.isupper():
            continue
        window = [t.text for t in doc[max(0, i - 5): i + 5]]
        near_year = any(YEAR_GROUP.match(w.strip("(),")) for w in window)
        if near_year or (tok.ent_type_ == "PERSON" and i + 1 < len(doc)
                         and doc[i + 1].lower_ in {"to", "will", "settles", "has"}):
            found.append(tok.text)
    unique = list(dict.fromkeys(found))
    return [c for c in unique if not any(c != o and c in o for o in unique)]


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    """Every word of the rubric lexicon (roles, groups, sources...): not pupils' names."""
    words: set[str] = set()
    for phrases in language_tools().lexicon.kinds().values():
        for phrase in phrases:
            words.update(re.findall(r"[a-z]+", phrase.lower()))
    return frozenset(words)


def _staff_initials(text: str, initials: str) -> bool:
    """'SENCo (KP)' or 'Mr J. Smith' are staff: initials inside a name or after a role."""
    i = text.find(initials)
    before = text[max(0, i - 5):i].lower()
    return any(before.rstrip().endswith(t) for t in TITLES)


def _fields(targets: list[Target]) -> list[tuple[str, str, str]]:
    """(field, where, text) of every free-text field of the targets."""
    out: list[tuple[str, str, str]] = []
    for t in targets:
        for name in ("objective", "success_criteria", "progress", "monitoring", "lead"):
            f = getattr(t, name)
            if f is not None:
                out.append((name, f.provenance.describe(), f.text))
        out += [("actions", a.provenance.describe(), a.text) for a in t.actions]
    return out


def find_pupil_mentions(targets: list[Target]) -> list[PupilMention]:
    """Every place a pupil's name appears: names are found where they read as a pupil's
    (beside a year group, as initials) and then looked for everywhere in the plan."""
    fields = _fields(targets)
    parsed.prefetch([text for _, _, text in fields])
    names = {c for name, _, text in fields if name != "lead" for c in _candidates(text)}
    mentions: list[PupilMention] = []
    for name, where, text in fields:
        for pupil in sorted(names):
            if re.search(rf"(?<!\w){re.escape(pupil)}(?!\w)", text):
                mentions.append(PupilMention(pupil, name, where))
    return mentions


def redact(text: str, names: set[str]) -> str:
    """Replace each pupil's name with '[pupil]' (whole words only)."""
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[pupil]", text)
    return text
