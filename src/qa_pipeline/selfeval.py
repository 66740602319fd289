"""Schools' SEND self-evaluations: reading the export, area ratings, gaps and strengths.

The export has one row per school, stage and statement (CSV or XLSX, several schools in
one file). :func:`load_self_evaluations` reads it into :class:`SelfEvaluations`, which
finds a school's evaluation and matches a plan to its school by URN or by name.
Structural problems (an unreadable file, a missing column, an unknown stage) raise
:class:`~qa_pipeline.errors.SelfEvaluationError`; a bad cell in one row becomes a warning
and the row is treated as not rated, so one typo does not lose the whole export.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from qa_pipeline.errors import SelfEvaluationError
from qa_pipeline.framework import Framework
from qa_pipeline.models import SchoolMatch

STAGES: tuple[str, ...] = ("baseline", "final")

REQUIRED_COLUMNS: tuple[str, ...] = ("school_urn", "school_name", "stage", "statement_id",
                                     "rating")
OPTIONAL_COLUMNS: tuple[str, ...] = ("area_id", "area", "statement", "comment", "completed_on")

# --------------------------------------------------------------------------- evaluations


@dataclass
class StatementRating:
    """One statement as a school rated it; ``rating`` is None when not rated."""

    statement_id: str
    area_id: str
    rating: int | None
    comment: str | None = None


def _mean(values: list[int]) -> float:
    """The mean rounded half up to 2 decimal places (so 2.125 gives 2.13, not 2.12)."""
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class SchoolEvaluation:
    """One school's self-evaluation at one stage."""

    urn: str
    name: str
    stage: str
    completed_on: str | None
    ratings: list[StatementRating] = field(default_factory=list)

    def area_ratings(self) -> dict[str, float | None]:
        """Each area's mean of rated statements, rounded to 2 dp; None when none rated.

        Areas appear in the order of their first statement in the export.
        """
        by_area: dict[str, list[int]] = {}
        for r in self.ratings:
            rated = by_area.setdefault(r.area_id, [])
            if r.rating is not None:
                rated.append(r.rating)
        return {area: (_mean(vals) if vals else None) for area, vals in by_area.items()}


@dataclass
class AreaProfile:
    """Area ratings in framework order with the gaps and strengths they give."""

    ratings: dict[str, float | None]
    gaps: list[str]
    strengths: list[str]


def profile(evaluation: SchoolEvaluation, framework: Framework) -> AreaProfile:
    """Ratings for every framework area (None if unrated or absent), gaps and strengths.

    A gap is an area rated below ``thresholds.gap_below``; a strength is one rated at or
    above ``thresholds.strength_at_or_above``. Both lists follow framework order.
    """
    means = evaluation.area_ratings()
    ratings = {area_id: means.get(area_id) for area_id in framework.area_ids()}
    t = framework.thresholds
    gaps = [a for a, r in ratings.items() if r is not None and r < t.gap_below]
    strengths = [a for a, r in ratings.items() if r is not None and r >= t.strength_at_or_above]
    return AreaProfile(ratings=ratings, gaps=gaps, strengths=strengths)


# --------------------------------------------------------------------------- school names

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'",
                         "\u00b4": "'", "\u2032": "'", "\u201b": "'"})

# Words that say what kind of school it is rather than which school.
_PHASES: dict[str, str] = {
    "primary": "primary", "junior": "junior", "juniors": "junior", "infant": "infant",
    "infants": "infant", "high": "secondary", "secondary": "secondary", "first": "first",
    "middle": "middle", "nursery": "nursery",
}
_DENOMINATIONS = frozenset({"ce", "catholic", "methodist"})
_GENERIC = frozenset({
    "school", "academy", "community", "church", "england", "the", "and", "of", "college",
    "federation", "trust", "voluntary", "aided", "controlled", "va", "vc", "c", "e",
    "foundation", "county", "free",
}) | _PHASES.keys() | _DENOMINATIONS

_PHRASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("church", "of", "england"), ("ce",)),
    (("c", "of", "e"), ("ce",)),
    (("c", "e"), ("ce",)),
    (("roman", "catholic"), ("catholic",)),
    (("r", "c"), ("catholic",)),
)
_WORDS: dict[str, str] = {"saint": "st", "cofe": "ce", "rc": "catholic"}


def _rewrite(tokens: list[str]) -> list[str]:
    """One pass of the token rules; :func:`normalise_school_name` repeats it to a fixpoint."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase, replacement in _PHRASES:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                out.extend(replacement)
                i += len(phrase)
                break
        else:
            out.append(_WORDS.get(tokens[i], tokens[i]))
            i += 1
    kept: list[str] = []
    for j, tok in enumerate(out):
        nxt = out[j + 1] if j + 1 < len(out) else None
        prev = kept[-1] if kept else None
        if tok == "the" and not kept and nxt is not None:
            continue  # "The Holy Trinity ..." is "Holy Trinity ..."
        if tok == "community" and nxt == "primary":
            continue  # "Community Primary" is "Primary"
        if tok in ("school", "academy") and prev in _PHASES:
            continue  # "Primary School" and "Primary Academy" are "Primary"
        kept.append(tok)
    return kept


def _tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_QUOTES).casefold()
    text = text.replace("'", "").replace("&", " and ")
    return re.findall(r"[^\W_]+", text)


def normalise_school_name(name: str) -> str:
    """A school name reduced to a canonical form for matching.

    Case, accents, punctuation and apostrophes (straight or curly) are ignored; "&" is
    "and"; "Saint"/"St"/"St." are "st"; "C of E", "CofE", "C.E.", "CE" and "Church of
    England" are "ce"; "RC", "R.C." and "Roman Catholic" are "catholic"; a leading "The"
    is dropped; "Community Primary" is "primary"; "Primary School"/"Primary Academy" (and
    the same after junior, infant, high ...) are "primary". E.g. "Saint Swithun’s Catholic
    Primary School" gives "st swithuns catholic primary".
    """
    tokens = _tokens(name)
    for _ in range(len(tokens) + 1):
        rewritten = _rewrite(tokens)
        if rewritten == tokens:
            break
        tokens = rewritten
    return " ".join(tokens)


def _distinctive(normalised: str) -> frozenset[str]:
    return frozenset(t for t in normalised.split() if t not in _GENERIC)


def _compatible(a: str, b: str) -> bool:
    """False when both names state a phase, or a denomination, and they differ."""
    ta, tb = set(a.split()), set(b.split())
    phases_a = {_PHASES[t] for t in ta if t in _PHASES}
    phases_b = {_PHASES[t] for t in tb if t in _PHASES}
    if phases_a and phases_b and not phases_a & phases_b:
        return False
    den_a, den_b = ta & _DENOMINATIONS, tb & _DENOMINATIONS
    return not (den_a and den_b and not den_a & den_b)


# --------------------------------------------------------------------------- the export


def _normalise_urn(value: object) -> str | None:
    """A URN cell as a string of digits (Excel's 131004.0 gives "131004"), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and value >= 0 else None
    text = str(value).strip()
    m = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    return m.group(1) if m else None


def _normalise_header(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_text(value: object) -> str | None:
    """A completed_on cell as an ISO date where it can be read, else as written."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


class SelfEvaluations:
    """Every school's self-evaluations from one export, with the warnings reading gave."""

    def __init__(self, source: str, evaluations: list[SchoolEvaluation],
                 warnings: list[str] | None = None) -> None:
        self.source = source
        self.warnings: list[str] = list(warnings or [])
        self._evaluations: dict[tuple[str, str], SchoolEvaluation] = {}
        self._names: dict[str, str] = {}
        for ev in evaluations:
            self._evaluations[(ev.urn, ev.stage)] = ev
            self._names.setdefault(ev.urn, ev.name)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, urn: object) -> bool:
        return _normalise_urn(urn) in self._names

    def schools(self) -> list[tuple[str, str]]:
        """(URN, name) of every school, in the order they first appear in the export."""
        return list(self._names.items())

    def stages(self, urn: str) -> list[str]:
        """The stages the school has rows for, baseline first; [] for an unknown URN."""
        key = _normalise_urn(urn)
        return [s for s in STAGES if (key, s) in self._evaluations]

    def evaluation(self, urn: str, stage: str = "baseline") -> SchoolEvaluation | None:
        key = _normalise_urn(urn)
        if key is None:
            return None
        return self._evaluations.get((key, stage.strip().casefold()))

    # ----------------------------------------------------------------------- matching

    def match(self, name: str | None, urn: str | None) -> SchoolMatch:
        """Match a plan to its school: by URN first, else by name (exact, then tolerant).

        The message is one sentence a SENCo or expert can read; ``candidates`` lists
        "Name (URN)" of the schools an ambiguous name could be.
        """
        name = name.strip() if name and name.strip() else None
        urn_given = str(urn).strip() if urn is not None and str(urn).strip() else None
        if not self._names:
            return SchoolMatch(name=None, urn=None, method="no_self_evaluation",
                               message=f"The self-evaluation export {self.source} has no "
                                       f"schools in it.")
        prefix = ""
        if urn_given is not None:
            key = _normalise_urn(urn_given)
            if key is not None and key in self._names:
                school = self._names[key]
                message = f"Matched by URN {key} to '{school}' in the self-evaluations."
                if name is not None and not self._same_school(name, school):
                    message = (f"Matched by URN {key} to '{school}' in the self-evaluations, "
                               f"although the plan names the school '{name}'.")
                return SchoolMatch(name=school, urn=key, method="urn", message=message)
            prefix = f"URN {urn_given} is not in the self-evaluations"
            if name is None:
                return SchoolMatch(name=None, urn=None, method="none",
                                   message=f"{prefix} and the plan gives no school name to "
                                           f"match by.")
        if name is None:
            return SchoolMatch(name=None, urn=None, method="none",
                               message="The plan gives neither a URN nor a school name, so "
                                       "it cannot be matched to a self-evaluation.")
        found = self._by_name(name)
        if len(found) == 1:
            key = found[0]
            school = self._names[key]
            detail = f"'{name}' is '{school}' ({key}) in the self-evaluations."
            message = (f"{prefix}; matched by name: {detail}" if prefix
                       else f"Matched by name: {detail}")
            return SchoolMatch(name=school, urn=key, method="name", message=message)
        if found:
            candidates = [f"{self._names[k]} ({k})" for k in found]
            listed = ", ".join(candidates[:-1]) + " and " + candidates[-1]
            detail = (f"the name '{name}' could be any of {len(found)} schools in the "
                      f"self-evaluations ({listed}); add the URN to the plan to choose.")
            message = f"{prefix}, and {detail}" if prefix else detail[0].upper() + detail[1:]
            return SchoolMatch(name=None, urn=None, method="ambiguous", message=message,
                               candidates=candidates)
        detail = f"no school in the self-evaluations matches the name '{name}'."
        message = f"{prefix}, and {detail}" if prefix else detail[0].upper() + detail[1:]
        return SchoolMatch(name=None, urn=None, method="none", message=message)

    def _by_name(self, name: str) -> list[str]:
        """URNs the name matches, from the strictest tier that matches any school."""
        wanted = normalise_school_name(name)
        if not wanted:
            return []
        schools = [(urn, normalise_school_name(n)) for urn, n in self._names.items()]
        exact = [urn for urn, norm in schools if norm == wanted]
        if exact:
            return exact
        mine = _distinctive(wanted)
        if not mine:
            return []
        same = [urn for urn, norm in schools
                if _distinctive(norm) == mine and _compatible(wanted, norm)]
        if same:
            return same
        return [urn for urn, norm in schools
                if _distinctive(norm) and (mine <= _distinctive(norm) or _distinctive(norm) <= mine)
                and _compatible(wanted, norm)]

    @staticmethod
    def _same_school(a: str, b: str) -> bool:
        na, nb = normalise_school_name(a), normalise_school_name(b)
        if na == nb:
            return True
        da, db = _distinctive(na), _distinctive(nb)
        return bool(da and db and (da <= db or db <= da) and _compatible(na, nb))


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path) -> tuple[list[tuple[int, list[object]]], list[str]]:
    """Rows with the file line each starts on (header included), and any warnings."""
    warnings: list[str] = []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SelfEvaluationError(
                f"Self-evaluation export {path.name} is not UTF-8 text (byte {exc.start}); "
                f"save it from Excel as 'CSV UTF-8'.") from exc
        warnings.append(f"{path.name} is not UTF-8; it was read as Windows-1252 text "
                        f"(save it as 'CSV UTF-8' to be sure of accented letters)")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[object]]] = []
    line = 1
    try:
        for record in reader:
            rows.append((line, list(record)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} is not valid CSV near line {line}: {exc}"
        ) from exc
    return rows, warnings


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} cannot be read as an XLSX workbook: "
            f"{exc}") from exc
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some exporters write a wrong or missing dimension
        return [(n, list(values))
                for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def load_self_evaluations(path: Path, framework: Framework) -> SelfEvaluations:
    """Read a self-evaluation export (.csv or .xlsx, first sheet, header row first)."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} is a '{path.suffix}' file; it must be "
            f".csv or .xlsx.")
    if not path.is_file():
        raise SelfEvaluationError(f"Self-evaluation export {path} does not exist.")
    warnings: list[str] = []
    try:
        if suffix == ".csv":
            rows, warnings = _read_csv(path)
        else:
            rows = _read_xlsx(path)
    except OSError as exc:
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} cannot be read: {exc.strerror or exc}"
        ) from exc
    rows = [(n, r) for n, r in rows if any(_cell_text(c) for c in r)]
    if not rows:
        raise SelfEvaluationError(f"Self-evaluation export {path.name} is empty.")

    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        columns.setdefault(_normalise_header(cell), i)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(_cell_text(c) for c in header if _cell_text(c)) or "nothing"
        plural = "columns" if len(missing) > 1 else "column"
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} is missing the {plural} "
            f"{', '.join(missing)} (line {header_line} has: {found}); it needs "
            f"{', '.join(REQUIRED_COLUMNS)}.")
    if len(rows) == 1:
        raise SelfEvaluationError(
            f"Self-evaluation export {path.name} has a header row but no ratings.")

    def cell(row: list[object], column: str) -> object:
        i = columns.get(column)
        return row[i] if i is not None and i < len(row) else None

    evaluations: dict[tuple[str, str], SchoolEvaluation] = {}
    names: dict[str, str] = {}
    dates: dict[tuple[str, str], list[str]] = {}
    seen: dict[tuple[str, str, str], int] = {}

    for line, row in rows[1:]:
        raw_urn = cell(row, "school_urn")
        urn = _normalise_urn(raw_urn)
        if urn is None or len(urn) != 6:
            warnings.append(f"line {line}: URN {_cell_text(raw_urn)!r} is not a 6-digit URN; "
                            f"row left out")
            continue
        stage = _cell_text(cell(row, "stage")).casefold()
        if stage not in STAGES:
            raise SelfEvaluationError(
                f"Self-evaluation export {path.name}, line {line}: stage "
                f"{_cell_text(cell(row, 'stage'))!r} is not one of {', '.join(STAGES)}.")
        name = _cell_text(cell(row, "school_name"))
        if urn not in names:
            names[urn] = name
        elif name and names[urn] and normalise_school_name(name) != normalise_school_name(
                names[urn]):
            warnings.append(f"line {line}: school name {name!r} differs from "
                            f"{names[urn]!r} given earlier for {urn}; the first is used")
        elif not names[urn]:
            names[urn] = name

        statement_id = _cell_text(cell(row, "statement_id")).upper()
        area_id = framework.statement_area(statement_id) if statement_id else None
        if area_id is None:
            warnings.append(f"line {line}: statement {statement_id or '(blank)'!r} for {urn} "
                            f"is not in the framework; row left out")
            continue
        given_area = _cell_text(cell(row, "area_id"))
        if given_area and given_area.casefold() != area_id:
            warnings.append(f"line {line}: statement {statement_id} for {urn} is in area "
                            f"{area_id}, not {given_area!r}; {area_id} is used")

        raw_rating = cell(row, "rating")
        try:
            rating = framework.parse_rating(raw_rating)
        except ValueError:
            shown = _cell_text(raw_rating) if isinstance(raw_rating, str) else raw_rating
            warnings.append(f"line {line}: rating {shown!r} for {urn} {statement_id} is not "
                            f"{framework.describe_allowed_ratings()}; left out")
            rating = None

        comment = _cell_text(cell(row, "comment")) or None
        key = (urn, stage)
        evaluation = evaluations.get(key)
        if evaluation is None:
            evaluation = SchoolEvaluation(urn=urn, name=names[urn], stage=stage,
                                          completed_on=None)
            evaluations[key] = evaluation
        completed = _date_text(cell(row, "completed_on"))
        if completed:
            dates.setdefault(key, []).append(completed)

        entry = StatementRating(statement_id=statement_id, area_id=area_id, rating=rating,
                                comment=comment)
        dup_key = (urn, stage, statement_id)
        if dup_key in seen:
            warnings.append(f"line {line}: {urn} {stage} {statement_id} was already rated on "
                            f"line {seen[dup_key]}; this later row is used")
            evaluation.ratings = [r for r in evaluation.ratings
                                  if r.statement_id != statement_id]
        seen[dup_key] = line
        evaluation.ratings.append(entry)

    for key, evaluation in evaluations.items():
        evaluation.name = names[evaluation.urn]
        found = dates.get(key, [])
        iso = [d for d in found if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
        evaluation.completed_on = max(iso) if iso else (found[0] if found else None)

    return SelfEvaluations(path.name, list(evaluations.values()), warnings)
