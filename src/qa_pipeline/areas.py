"""Which framework area a target addresses, with the reason.

Three signals, strongest first: statement codes the school quotes ("Identification
(I2, I3)"); the area the school wrote (matched against the framework's names and
aliases); the words of the target (``rubrics/area_keywords.yaml``). A target with no
SEND word anywhere is not about SEND provision and gets no area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from qa_pipeline.config import RUBRICS_DIR, load_yaml_model
from qa_pipeline.extract.labels import fold
from qa_pipeline.framework import Framework
from qa_pipeline.models import Target

STATEMENT_CODE = re.compile(r"\b([A-Z])([1-9])\b")


class AreaKeywords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    area_text_weight: float
    objective_weight: float
    other_weight: float
    areas: dict[str, list[str]]
    send_terms: list[str]


@dataclass(frozen=True)
class AreaDecision:
    area_id: str | None
    reason: str
    confidence: float


def load_area_keywords(path: Path | None = None) -> AreaKeywords:
    return load_yaml_model(path or RUBRICS_DIR / "area_keywords.yaml", AreaKeywords,
                           "Area keywords")


def _phrase_re(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in fold(phrase.rstrip("*"))]
    tail = r"\w*" if phrase.endswith("*") else ""
    return re.compile(r"\b" + r"[\s\-/]+".join(words) + tail + r"\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Lexicon:
    areas: dict[str, list[tuple[str, re.Pattern[str]]]]
    send: list[tuple[str, re.Pattern[str]]]


@lru_cache(maxsize=2)
def _lexicon(path: Path | None = None) -> tuple[AreaKeywords, _Lexicon]:
    cfg = load_area_keywords(path)
    lex = _Lexicon(
        areas={a: [(p, _phrase_re(p)) for p in ps] for a, ps in cfg.areas.items()},
        send=[(p, _phrase_re(p)) for p in cfg.send_terms],
    )
    return cfg, lex


class AreaClassifier:
    """Rule-based area classification against a framework."""

    def __init__(self, framework: Framework, keywords_path: Path | None = None) -> None:
        self.framework = framework
        self.cfg, self.lex = _lexicon(keywords_path)
        self._names: list[tuple[tuple[str, ...], str]] = []
        for area in framework.areas:
            for name in [area.name, area.id.replace("_", " "), *area.aliases]:
                key = tuple(fold(name))
                if key:
                    self._names.append((key, area.id))
        self._names.sort(key=lambda e: -len(e[0]))

    def _texts(self, target: Target) -> tuple[str, str, str]:
        area_text = target.text_of("area_text") or ""
        objective = target.text_of("objective") or ""
        rest = " ".join(filter(None, (target.text_of(f) for f in
                                      ("actions", "success_criteria", "monitoring"))))
        return area_text, objective, rest

    def cited_statements(self, target: Target) -> AreaDecision | None:
        """A decision from the statement codes the plan cites, if they name one area."""
        area_text, objective, _ = self._texts(target)
        coded = self._statement_codes(area_text) or self._statement_codes(objective)
        if coded is None:
            return None
        area_id, codes = coded
        return AreaDecision(area_id, f"the plan cites statement(s) {', '.join(codes)}", 0.95)

    def _scores(self, target: Target) -> tuple[dict[str, float], dict[str, list[str]]]:
        area_text, objective, rest = self._texts(target)
        scores: dict[str, float] = {}
        hits: dict[str, list[str]] = {}
        named = self._named_area(area_text)
        if named is not None:
            scores[named] = self.cfg.area_text_weight
            hits[named] = [f"area written as '{area_text}'"]
        for area_id, phrases in self.lex.areas.items():
            for phrase, rx in phrases:
                weight = 0.0
                if rx.search(objective):
                    weight += self.cfg.objective_weight
                if rx.search(area_text):
                    weight += self.cfg.other_weight
                if rx.search(rest):
                    weight += self.cfg.other_weight
                if weight:
                    scores[area_id] = scores.get(area_id, 0.0) + weight
                    hits.setdefault(area_id, []).append(f"'{phrase}'")
        return scores, hits

    def signals(self, target: Target) -> dict[str, float]:
        """The rule signals as features for the learned classifier."""
        area_text, _, _ = self._texts(target)
        scores, _ = self._scores(target)
        total = sum(scores.values()) or 1.0
        out = {f"kw={a}": v / total for a, v in scores.items()}
        named = self._named_area(area_text)
        if named is not None:
            out[f"named={named}"] = 1.0
        out["send_word"] = float(self._send_term(" ".join(self._texts(target))) is not None)
        decision = self.classify(target)
        out[f"rule_area={decision.area_id or 'none'}"] = 1.0
        return out

    def classify(self, target: Target) -> AreaDecision:
        if self._send_term(" ".join(self._texts(target))) is None:
            return AreaDecision(None, "no SEND word in the target: read as not about SEND "
                                      "provision", 0.6)
        coded = self.cited_statements(target)
        if coded is not None:
            return coded
        scores, hits = self._scores(target)
        if not scores:
            return AreaDecision(None, "no framework area's words found", 0.3)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        best, score = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = round(min(0.95, 0.5 + (score - runner) / (2 * score)), 2)
        return AreaDecision(best, "matched " + ", ".join(hits[best][:4]), confidence)

    def _send_term(self, text: str) -> str | None:
        for phrase, rx in self.lex.send:
            if rx.search(text):
                return phrase
        return None

    def _statement_codes(self, text: str) -> tuple[str, list[str]] | None:
        codes = [f"{a}{n}" for a, n in STATEMENT_CODE.findall(text)]
        areas = {self.framework.statement_area(c) for c in codes} - {None}
        if len(areas) == 1:
            return str(areas.pop()), codes
        return None

    def _named_area(self, area_text: str) -> str | None:
        words = fold(area_text)
        for key, area_id in self._names:
            n = len(key)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == key:
                    return area_id
        return None
