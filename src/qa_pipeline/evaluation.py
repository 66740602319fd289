"""Agreement with an expert's labelled plans: what ``qa-pipeline evaluate`` prints.

Targets are paired in plan order by the similarity of their words (an alignment that
keeps order, so a missed or extra target does not shift the rest); then per-criterion
agreement (quadratic weighted kappa, exact, within one level), extraction (target recall
and precision, token F1 per field, deadline and area accuracy) and plan-level figures.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_pipeline.models import TARGET_FIELDS
from qa_pipeline.rubric import CRITERIA

OVERALL = ("needs_revision", "developing", "secure", "strong")
MATCH_THRESHOLD = 0.3


@dataclass(frozen=True)
class Agreement:
    n: int
    qwk: float | None
    exact: float | None
    within1: float | None


def quadratic_weighted_kappa(a: list[int], b: list[int], k: int = 4) -> float | None:
    if not a:
        return None
    n = len(a)
    observed = Counter(zip(a, b, strict=True))
    hist_a, hist_b = Counter(a), Counter(b)
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[(i, j)]
            den += w * hist_a[i] * hist_b[j] / n
    return 1.0 if den == 0 else 1 - num / den


def agreement(gold: list[int], predicted: list[int], k: int = 4) -> Agreement:
    n = len(gold)
    if n == 0:
        return Agreement(0, None, None, None)
    pairs = list(zip(gold, predicted, strict=True))
    return Agreement(
        n=n, qwk=quadratic_weighted_kappa(gold, predicted, k),
        exact=sum(g == p for g, p in pairs) / n,
        within1=sum(abs(g - p) <= 1 for g, p in pairs) / n)


def tokens(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v is not None)
    text = unicodedata.normalize("NFKC", str(value)).lower()
    return re.findall(r"[a-z0-9]+", text)


def token_f1(a: Any, b: Any) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not ta or not tb or common == 0:
        return 0.0
    precision, recall = common / len(tb), common / len(ta)
    return 2 * precision * recall / (precision + recall)


def _target_words(t: dict[str, Any]) -> list[Any]:
    return [t.get("objective"), t.get("actions"), t.get("success_criteria")]


def align(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Order-keeping alignment maximising the summed similarity of paired targets."""
    n, m = len(gold), len(predicted)
    sim = [[token_f1(_target_words(g), _target_words(p)) for p in predicted] for g in gold]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if sim[i][j] >= MATCH_THRESHOLD:
                options.append(best[i + 1][j + 1] + sim[i][j])
            best[i][j] = max(options)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MATCH_THRESHOLD and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _level(score: Any) -> int | None:
    if isinstance(score, dict):
        score = score.get("level")
    return score if isinstance(score, int) and 0 <= score <= 3 else None


def evaluate(gold_dir: Path, results_dir: Path) -> dict[str, Any]:
    levels: dict[str, tuple[list[int], list[int]]] = {c: ([], []) for c in CRITERIA}
    field_sums = Counter[str]()
    counts = Counter[str]()
    overall: list[tuple[str, str | None]] = []
    unaddressed_f1: list[float] = []
    missing: list[str] = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        plan_id = gold_path.name.removesuffix(".gold.json")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        counts["plans"] += 1
        counts["gold_targets"] += len(gold.get("targets", []))
        result_path = results_dir / f"{plan_id}.json"
        if not result_path.exists():
            missing.append(plan_id)
            continue
        result = json.loads(result_path.read_text(encoding="utf-8"))
        g_targets, p_targets = gold.get("targets", []), result.get("targets") or []
        counts["predicted_targets"] += len(p_targets)
        pairs = align(g_targets, p_targets)
        counts["matched"] += len(pairs)
        for gi, pi in pairs:
            g, p = g_targets[gi], p_targets[pi]
            for f in TARGET_FIELDS:
                field_sums[f] += token_f1(g.get(f), p.get(f))
            counts["deadline_n"] += 1
            counts["deadline_ok"] += (g.get("deadline") or None) == (p.get("deadline") or None)
            if g.get("area_id"):
                counts["area_n"] += 1
                counts["area_ok"] += g.get("area_id") == p.get("area_id")
            for c in CRITERIA:
                a = _level((g.get("scores") or {}).get(c))
                b = _level((p.get("scores") or {}).get(c))
                if a is not None:
                    levels[c][0].append(a)
                    levels[c][1].append(b if b is not None else -1)
        g_plan, p_plan = gold.get("plan") or {}, result.get("plan") or {}
        if g_plan.get("overall") in OVERALL:
            overall.append((g_plan["overall"], p_plan.get("overall")))
        ga, pa = set(g_plan.get("unaddressed_gaps") or []), set(p_plan.get("unaddressed_gaps")
                                                                  or [])
        unaddressed_f1.append(1.0 if not ga and not pa else 2 * len(ga & pa) / (len(ga) + len(pa)))
        g_urn = (gold.get("school") or {}).get("urn")
        if g_urn:
            counts["urn_n"] += 1
            counts["urn_ok"] += str(g_urn) == str((result.get("school") or {}).get("urn") or "")
    matched = counts["matched"]
    criteria = {}
    for c, (g, p) in levels.items():
        valid = [(a, b) for a, b in zip(g, p, strict=True) if b >= 0]
        ag = agreement([a for a, _ in valid], [b for _, b in valid])
        criteria[c] = {"n": len(g), "missing": len(g) - len(valid), "qwk": ag.qwk,
                       "exact": ag.exact, "within1": ag.within1}
    qwks = [v["qwk"] for v in criteria.values() if v["qwk"] is not None]
    index = {v: i for i, v in enumerate(OVERALL)}
    valid_overall = [(index[a], index[b]) for a, b in overall if b in index]
    nr_gold = [b for a, b in overall if a == "needs_revision"]
    nr_pred = [a for a, b in overall if b == "needs_revision"]
    return {
        "plans": counts["plans"], "missing_results": missing,
        "targets": {"gold": counts["gold_targets"], "predicted": counts["predicted_targets"],
                    "matched": matched,
                    "recall": matched / counts["gold_targets"] if counts["gold_targets"] else None,
                    "precision": (matched / counts["predicted_targets"]
                                  if counts["predicted_targets"] else None)},
        "field_f1": {f: field_sums[f] / matched if matched else None for f in TARGET_FIELDS},
        "deadline_acc": counts["deadline_ok"] / counts["deadline_n"] if counts["deadline_n"]
        else None,
        "area_acc": counts["area_ok"] / counts["area_n"] if counts["area_n"] else None,
        "school_urn_acc": counts["urn_ok"] / counts["urn_n"] if counts["urn_n"] else None,
        "criteria": criteria,
        "qwk_mean": sum(qwks) / len(qwks) if qwks else None,
        "overall_acc": (sum(a == b for a, b in overall) / len(overall)) if overall else None,
        "overall_qwk": quadratic_weighted_kappa([a for a, _ in valid_overall],
                                                [b for _, b in valid_overall]),
        "needs_revision_recall": (sum(b == "needs_revision" for b in nr_gold) / len(nr_gold)
                                  if nr_gold else None),
        "needs_revision_precision": (sum(a == "needs_revision" for a in nr_pred) / len(nr_pred)
                                     if nr_pred else None),
        "unaddressed_gaps_f1": (sum(unaddressed_f1) / len(unaddressed_f1)
                                if unaddressed_f1 else None),
    }


def format_report(m: dict[str, Any]) -> str:
    def f(v: Any) -> str:
        return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    t = m["targets"]
    lines = [
        f"plans {m['plans']}  missing results {len(m['missing_results'])}",
        f"targets gold {t['gold']} predicted {t['predicted']} matched {t['matched']}  "
        f"recall {f(t['recall'])} precision {f(t['precision'])}",
        "field token-F1: " + "  ".join(f"{k} {f(v)}" for k, v in m["field_f1"].items()),
        f"deadline_acc {f(m['deadline_acc'])}  area_acc {f(m['area_acc'])}  "
        f"school_urn_acc {f(m['school_urn_acc'])}",
        "criterion     n    qwk    exact  within1",
    ]
    for c, v in m["criteria"].items():
        lines.append(f"  {c:11s} {v['n']:4d}  {f(v['qwk'])}  {f(v['exact'])}  {f(v['within1'])}")
    lines += [
        f"qwk_mean {f(m['qwk_mean'])}  overall_acc {f(m['overall_acc'])}  "
        f"overall_qwk {f(m['overall_qwk'])}",
        f"needs_revision recall {f(m['needs_revision_recall'])} precision "
        f"{f(m['needs_revision_precision'])}  unaddressed_gaps_f1 {f(m['unaddressed_gaps_f1'])}",
    ]
    return "\n".join(lines)
