"""Match the labels schools write ("By when?", "Person responsible") to the model's fields.

The wordings are data (``rubrics/fields.yaml``). A label matches the field of the
longest wording it starts with, compared word by word after folding case, ``&``/"and"
and punctuation; a few trailing words are allowed ("Progress visit 2",
"Review notes (Dec 2026)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from qa_pipeline.config import RUBRICS_DIR, load_yaml_model

MAX_EXTRA_WORDS = 3
IGNORE = "_ignore"


class FieldsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    target_fields: dict[str, list[str]]
    ignored_columns: list[str]
    header_fields: dict[str, list[str]]


def fold(text: str) -> list[str]:
    """Words of a label: lower case, '&' as 'and', apostrophes dropped, punctuation as space."""
    text = text.lower().replace("&", " and ").replace("’", "").replace("'", "")
    words = re.findall(r"[a-z0-9]+", text)
    if words[:3] in (["how", "we", "will"], ["how", "we", "are"]):  # "how we will know"
        words[1], words[2] = words[2], words[1]
    return words


@dataclass(frozen=True)
class LabelMatch:
    field: str
    wording: str  # the synonym that matched
    extra_words: int  # words of the label beyond the synonym


class LabelMatcher:
    """Finds which field a label names, from a table of wordings."""

    def __init__(self, wordings: dict[str, list[str]]) -> None:
        self._entries: list[tuple[tuple[str, ...], str, str]] = []
        for field_name, words in wordings.items():
            for w in words:
                key = tuple(fold(w))
                if key:
                    self._entries.append((key, field_name, w))
        # longest wording first, so the most specific one wins
        self._entries.sort(key=lambda e: -len(e[0]))

    def match(self, label: str, max_extra: int = MAX_EXTRA_WORDS) -> LabelMatch | None:
        words = tuple(fold(label))
        if not words:
            return None
        for key, field_name, wording in self._entries:
            n = len(key)
            if words[:n] == key and len(words) - n <= max_extra:
                return LabelMatch(field=field_name, wording=wording, extra_words=len(words) - n)
        return None


@dataclass(frozen=True)
class Vocabulary:
    version: str
    target: LabelMatcher
    header: LabelMatcher


def load_fields(path: Path | None = None) -> FieldsConfig:
    return load_yaml_model(path or RUBRICS_DIR / "fields.yaml", FieldsConfig, "Field wordings")


@lru_cache(maxsize=4)
def vocabulary(path: Path | None = None) -> Vocabulary:
    cfg = load_fields(path)
    target = dict(cfg.target_fields)
    target[IGNORE] = cfg.ignored_columns
    return Vocabulary(version=cfg.version, target=LabelMatcher(target),
                      header=LabelMatcher(cfg.header_fields))
