"""Deadlines: read a target's deadline wording as the last day it names.

Plans give deadlines as dates, months, terms or half-terms; each is read as the last day
of that period, using the academic calendar in ``rubrics/calendar.yaml``. A deadline that
names several (milestones, then a final date) is read as the latest of them. Wording
such as "ongoing" or "termly" with no date in it has no deadline.

The reader tokenises the text into words, numbers, compound numbers (``03/04/2027``) and
punctuation, then walks the tokens trying a few small candidate finders at each position:
numeric dates, day-month dates, named periods (from the calendar's aliases) and months.
UK numeric dates are always day first. Nothing here raises on any string.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from qa_pipeline.config import load_yaml_model
from qa_pipeline.errors import ConfigError

DEFAULT_CALENDAR_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "calendar.yaml"
DEFAULT_YEAR = "2026-27"

# Four-digit years outside this range are not read as years ("1500 words").
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# A two-digit year ("Mar 27") is read as 20xx only within this many years of the calendar.
SHORT_YEAR_WINDOW = 5

_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}

# Joins half-terms in "Spring 1 and 2", "HT 2, 4 and 6".
_CONNECTORS = frozenset({",", "and", "&", "/", "-", "–", "—", "to", "+"})
# A number after these is a year group or key stage, never a day ("Year 6 May SATs").
_YEAR_GROUP_WORDS = frozenset({"year", "years", "yr", "yrs", "y", "ks", "stage", "group"})
_SENTENCE_ENDS = frozenset({".", "!", "?", ";", ":"})
_APOSTROPHES = frozenset({"'", "’"})

# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"(?P<compound>[0-9]+(?:[/.\-][0-9]+)+)|(?P<word>\w+)|(?P<punct>\S)")
_COMPOUND_SEPARATOR = re.compile(r"[/.\-]")
_ORDINAL = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)")
_HYPHENS = frozenset({"-", "‐", "‑"})


@dataclass(frozen=True)
class _Token:
    """One token of the text: as written, case-folded, and where it sits."""

    text: str
    value: str
    start: int
    end: int
    kind: str  # "compound", "word" or "punct"

    @property
    def is_number(self) -> bool:
        """True for a plain ASCII number such as ``2027`` or ``16``."""
        return self.value.isascii() and self.value.isdigit()


def _tokenise(text: str) -> list[_Token]:
    """Split text into tokens, treating a hyphen inside a phrase ("half-term") as a space."""
    raw = [
        _Token(m.group(), m.group().casefold(), m.start(), m.end(), m.lastgroup or "punct")
        for m in _TOKEN.finditer(text)
    ]
    return [
        tok
        for before, tok, after in zip([None, *raw[:-1]], raw, [*raw[1:], None], strict=True)
        if not _is_joining_hyphen(before, tok, after)
    ]


def _is_joining_hyphen(before: _Token | None, tok: _Token, after: _Token | None) -> bool:
    """A hyphen written tight between a word and another word or number."""
    return (
        tok.value in _HYPHENS
        and before is not None
        and after is not None
        and before.value.isalpha()
        and after.kind == "word"
        and before.end == tok.start
        and tok.end == after.start
    )


def _phrase_key(text: str) -> tuple[str, ...]:
    """The token values of a phrase, as used to look it up."""
    return tuple(tok.value for tok in _tokenise(text))


@dataclass(frozen=True)
class _PhraseIndex:
    """Phrases (as token values) mapped to a value; finds the longest phrase at a token."""

    phrases: dict[tuple[str, ...], str]
    longest: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "longest", max(map(len, self.phrases), default=0))

    def match(self, tokens: Sequence[_Token], i: int) -> tuple[str, int] | None:
        """The value of the longest phrase starting at ``tokens[i]`` and the index after it."""
        for length in range(min(self.longest, len(tokens) - i), 0, -1):
            found = self.phrases.get(tuple(tok.value for tok in tokens[i : i + length]))
            if found is not None:
                return found, i + length
        return None


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class AcademicCalendar:
    """One academic year's dates and the words plans use for its periods.

    ``period_ends`` maps each period key (``"spring_2"``) to its last day, in calendar
    order; ``period_labels`` gives its display name; ``aliases`` maps each alias as
    written in the calendar file to its period key. Treat the mappings as read-only.
    """

    year: str
    start: date
    end: date
    period_ends: dict[str, date]
    period_labels: dict[str, str]
    aliases: dict[str, str]
    no_deadline: tuple[str, ...]
    _alias_index: _PhraseIndex = field(init=False, repr=False, compare=False)
    _no_deadline_index: _PhraseIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases = {_phrase_key(alias): key for alias, key in self.aliases.items()}
        vague = {_phrase_key(words): words for words in self.no_deadline}
        object.__setattr__(self, "_alias_index", _PhraseIndex(aliases))
        object.__setattr__(self, "_no_deadline_index", _PhraseIndex(vague))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _PeriodWords(_Strict):
    label: str = Field(min_length=1)
    aliases: list[str] = Field(min_length=1)


class _YearDates(_Strict):
    start: date
    end: date
    periods: dict[str, date]


class _CalendarFile(_Strict):
    periods: dict[str, _PeriodWords] = Field(min_length=1)
    no_deadline: list[str]
    years: dict[str, _YearDates] = Field(min_length=1)


_ACADEMIC_YEAR_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")


def load_calendar(path: Path | None = None, year: str = DEFAULT_YEAR) -> AcademicCalendar:
    """Load and check the calendar file, returning the given academic year.

    Raises :class:`ConfigError` naming the file, the key path and what is allowed when
    the file is missing, not YAML, has unknown or missing keys, or is inconsistent.
    """
    source = path or DEFAULT_CALENDAR_PATH
    spec = load_yaml_model(source, _CalendarFile, "Calendar")
    _check_vocabulary(source, spec)
    for key, dates in spec.years.items():
        _check_year(source, key, dates, list(spec.periods))
    if year not in spec.years:
        available = ", ".join(spec.years)
        raise ConfigError(f"{source}: years: no entry for '{year}'; available: {available}")
    dates = spec.years[year]
    return AcademicCalendar(
        year=year,
        start=dates.start,
        end=dates.end,
        period_ends={key: dates.periods[key] for key in spec.periods},
        period_labels={key: words.label for key, words in spec.periods.items()},
        aliases={alias: key for key, words in spec.periods.items() for alias in words.aliases},
        no_deadline=tuple(spec.no_deadline),
    )


def _check_vocabulary(path: Path, spec: _CalendarFile) -> None:
    """Every alias and no-deadline phrase is usable and means one thing only."""
    seen: dict[tuple[str, ...], str] = {}
    for key, words in spec.periods.items():
        for alias in words.aliases:
            phrase = _phrase_key(alias)
            where = f"periods.{key}.aliases"
            if not phrase:
                raise ConfigError(f"{path}: {where}: alias {alias!r} has no words")
            if seen.setdefault(phrase, key) != key:
                raise ConfigError(
                    f"{path}: {where}: alias {alias!r} is also in periods.{seen[phrase]}.aliases; "
                    "an alias may name one period only"
                )
    for words in spec.no_deadline:
        phrase = _phrase_key(words)
        if not phrase:
            raise ConfigError(f"{path}: no_deadline: {words!r} has no words")
        if phrase in seen:
            raise ConfigError(
                f"{path}: no_deadline: {words!r} is also an alias of {seen[phrase]}; "
                "a phrase is either a period or no deadline, not both"
            )


def _check_year(path: Path, key: str, dates: _YearDates, periods: list[str]) -> None:
    """A year's key matches its start, and it dates every period, in order, within it."""
    where = f"{path}: years.{key}"
    shape = _ACADEMIC_YEAR_KEY.fullmatch(key)
    if shape is None or (int(shape.group(1)) + 1) % 100 != int(shape.group(2)):
        raise ConfigError(f"{where}: the key must be an academic year such as '2026-27'")
    if dates.start.year != int(shape.group(1)) or not dates.start < dates.end:
        raise ConfigError(f"{where}: start must fall in {shape.group(1)} and before end")
    unknown = [name for name in dates.periods if name not in periods]
    if unknown:
        allowed = ", ".join(periods)
        raise ConfigError(f"{where}.periods.{unknown[0]}: unknown period; allowed: {allowed}")
    missing = [name for name in periods if name not in dates.periods]
    if missing:
        raise ConfigError(f"{where}.periods: missing a date for {', '.join(missing)}")
    previous = dates.start
    for name in periods:
        if not previous <= dates.periods[name] <= dates.end:
            raise ConfigError(
                f"{where}.periods.{name}: {dates.periods[name]} must be on or after the "
                f"previous period's end ({previous}) and no later than end ({dates.end})"
            )
        previous = dates.periods[name]


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """A target's deadline: the last day named (or None) and how the text was read."""

    date: date | None
    reason: str


@dataclass(frozen=True)
class _Mention:
    """A date-like mention in the text: the words, how they were read and the day."""

    quote: str
    what: str
    day: date


@dataclass(frozen=True)
class _Found:
    """What a candidate finder used: the index after its tokens and what it read."""

    end: int
    mentions: tuple[_Mention, ...] = ()
    problem: str | None = None


def normalise_deadline(text: str | None, calendar: AcademicCalendar) -> Deadline:
    """Read deadline wording as the latest day it names; None when it names none."""
    if text is None or not text.strip():
        return Deadline(None, "no deadline given")
    reader = _Reader(text, calendar)
    mentions, problems = reader.scan()
    if mentions:
        return _latest(mentions, problems)
    vague = reader.no_deadline_wording()
    if vague is not None:
        return Deadline(None, f"'{vague}' has no end date")
    if problems:
        return Deadline(None, "; ".join(problems) + "; no other date found")
    return Deadline(None, f"no date, month or term found in '{_shorten(text)}'")


def _latest(mentions: Sequence[_Mention], problems: Sequence[str]) -> Deadline:
    """The deadline from the latest mention, with a reason listing what was read."""
    best = max(mentions, key=lambda mention: mention.day)
    if len(mentions) == 1:
        reason = f"'{best.quote}' read as {best.what} ({best.day.isoformat()})"
    else:
        named = ", ".join(f"'{m.quote}' ({m.day.isoformat()})" for m in mentions)
        reason = (
            f"latest of {len(mentions)} dates named: {named}; deadline {best.day.isoformat()} "
            f"from '{best.quote}', read as {best.what}"
        )
    if problems:
        reason += " (ignored: " + "; ".join(problems) + ")"
    return Deadline(best.day, reason)


def _shorten(text: str, limit: int = 60) -> str:
    """The text on one line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None if there is no such day (31/02) or the year is implausible."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day_of_month(year: int, month: int) -> date:
    return date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def _shift_years(day: date, years: int) -> date | None:
    """The same day ``years`` later (29 Feb becomes 28 Feb), or None if out of range."""
    target = day.year + years
    if not EARLIEST_YEAR <= target <= LATEST_YEAR:
        return None
    try:
        return day.replace(year=target)
    except ValueError:
        return day.replace(year=target, day=28)


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Reader:
    """Finds the date-like mentions in one piece of deadline text."""

    def __init__(self, text: str, calendar: AcademicCalendar) -> None:
        self.text = text
        self.cal = calendar
        self.tokens = _tokenise(text)

    # ------------------------------------------------------------------ scanning

    def scan(self) -> tuple[list[_Mention], list[str]]:
        """Every mention in the text, and notes on date-like text that is not a date."""
        mentions: list[_Mention] = []
        problems: list[str] = []
        i = 0
        while i < len(self.tokens):
            found = self._find_at(i)
            if found is None:
                i += 1
                continue
            mentions.extend(found.mentions)
            if found.problem:
                problems.append(found.problem)
            i = found.end
        return mentions, problems

    def no_deadline_wording(self) -> str | None:
        """The first no-deadline phrase in the text, as written, if any."""
        for i in range(len(self.tokens)):
            hit = self.cal._no_deadline_index.match(self.tokens, i)
            if hit is not None:
                return self._quote(i, hit[1])
        return None

    def _find_at(self, i: int) -> _Found | None:
        for finder in (self._numeric_date, self._day_month, self._period, self._month):
            found = finder(i)
            if found is not None:
                return found
        return None

    # ------------------------------------------------------------------ finders

    def _numeric_date(self, i: int) -> _Found | None:
        """``03/04/2027``, ``3/4/27``, ``06.11.26`` (day first) or ``2027-03-26`` (ISO)."""
        tok = self.tokens[i]
        parts = _COMPOUND_SEPARATOR.split(tok.value) if tok.kind == "compound" else []
        if len(parts) != 3:
            return None
        iso = len(parts[0]) == 4
        year, month, day = parts if iso else reversed(parts)
        if len(day) > 2 or len(month) > 2 or len(year) not in (2, 4):
            return None
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        when = _safe_date(full_year, int(month), int(day))
        if when is None:
            return _Found(i + 1, problem=f"'{tok.text}' is not a real date")
        how = "an ISO date" if iso else "a day-first date"
        return self._one(i, i + 1, f"{how}, {_fmt(when)}", when)

    def _day_month(self, i: int) -> _Found | None:
        """``16 July 2027``, ``16th July 27``, ``3rd of June``, ``1 June`` (no year)."""
        day = self._day_at(i)
        if day is None or self._value(i - 1) in _YEAR_GROUP_WORDS:
            return None
        j = i + 2 if self._value(i + 1) == "of" else i + 1
        month = _MONTHS.get(self._value(j))
        if month is None:
            return None
        year, end = self._year_after(j + 1, allow_short=True)
        if year is None and self._is_lowercase_may(j):
            return None
        return self._calendar_day(i, end, day, month, year)

    def _period(self, i: int) -> _Found | None:
        """A term or half-term alias, optionally chained and followed by a year."""
        hit = self.cal._alias_index.match(self.tokens, i)
        if hit is None:
            return None
        key, alias_end = hit
        alias = tuple(tok.value for tok in self.tokens[i:alias_end])
        siblings, end = self._sibling_periods(alias, alias_end)
        calendar_year = self._year_at(end, allow_short=False)
        academic_year = self._academic_year_at(end)
        if calendar_year is not None or academic_year is not None:
            end += 1
        mentions = []
        for period in (key, *siblings):
            if calendar_year is not None:
                shift = calendar_year - self.cal.period_ends[period].year
            elif academic_year is not None:
                shift = academic_year - self.cal.start.year
            else:
                shift = 0
            if siblings:  # quote each half-term of "Spring 1 and 2" by its own name
                quote = (
                    self._quote(i, alias_end) if period == key else self.cal.period_labels[period]
                )
            else:
                quote = self._quote(i, end)
            mention = self._period_mention(quote, period, shift)
            if mention is not None:
                mentions.append(mention)
        return _Found(end, tuple(mentions))

    def _month(self, i: int) -> _Found | None:
        """``March 2027``, ``Mar 27``, ``July 16th``, ``June`` (no year), ``by July``."""
        month = _MONTHS.get(self._value(i))
        if month is None:
            return None
        day, j = self._day_after_month(i + 1)
        year, end = self._year_after(j, allow_short=day is None)
        if day is not None:
            return self._calendar_day(i, end, day, month, year)
        if year is not None:
            when = _last_day_of_month(year, month)
            return self._one(i, end, f"the last day of {when:%B %Y}", when)
        if self._is_verb_may(i):
            return None
        start = self.cal.start
        year = start.year if month >= start.month else start.year + 1
        when = _last_day_of_month(year, month)
        what = f"the last day of {when:%B %Y} (no year given; taken inside {self.cal.year})"
        return self._one(i, i + 1, what, when)

    # ------------------------------------------------------------------ pieces

    def _calendar_day(self, i: int, end: int, day: int, month: int, year: int | None) -> _Found:
        """A named day of a month, placed inside the academic year when no year is given."""
        if year is None:
            when = self._day_in_academic_year(month, day)
            note = f" (no year given; taken inside {self.cal.year})"
        else:
            when = _safe_date(year, month, day)
            note = ""
        if when is None:
            return _Found(end, problem=f"'{self._quote(i, end)}' is not a real date")
        return self._one(i, end, _fmt(when) + note, when)

    def _period_mention(self, quote: str, period: str, shift: int) -> _Mention | None:
        """The end of a period, moved by whole years when the text names another year."""
        when = _shift_years(self.cal.period_ends[period], shift)
        if when is None:
            return None
        what = f"the end of {self.cal.period_labels[period]}"
        if shift:
            what += (
                f" in {when.year} (approximate: the {self.cal.year} date moved by {shift:+d}"
                " year(s), as that year is not in the calendar)"
            )
        return _Mention(quote, what, when)

    def _sibling_periods(self, alias: tuple[str, ...], j: int) -> tuple[list[str], int]:
        """Further half-terms in "Spring 1 and 2" or "HT 2, 4 and 6"."""
        siblings: list[str] = []
        while alias[-1].isdigit() and self._value(j) in _CONNECTORS:
            number = self._token(j + 1)
            if number is None or not number.is_number:
                break
            sibling = self.cal._alias_index.phrases.get((*alias[:-1], number.value))
            if sibling is None:
                break
            siblings.append(sibling)
            j += 2
        return siblings, j

    def _day_in_academic_year(self, month: int, day: int) -> date | None:
        start = self.cal.start
        year = start.year if (month, day) >= (start.month, start.day) else start.year + 1
        return _safe_date(year, month, day)

    def _day_at(self, i: int) -> int | None:
        """A day of the month written as ``16`` or ``16th``."""
        tok = self._token(i)
        if tok is None:
            return None
        ordinal = _ORDINAL.fullmatch(tok.value)
        if ordinal is not None:
            digits = ordinal.group(1)
        elif tok.is_number and len(tok.value) <= 2:
            digits = tok.value
        else:
            return None
        day = int(digits)
        return day if 1 <= day <= 31 else None

    def _day_after_month(self, j: int) -> tuple[int | None, int]:
        """A day after a month name: ``July 16th`` or ``July 16, 2027`` (not ``July 27``)."""
        tok = self._token(j)
        if tok is None or self._day_at(j) is None:
            return None, j
        if _ORDINAL.fullmatch(tok.value):
            return self._day_at(j), j + 1
        after = j + 2 if self._value(j + 1) == "," else j + 1
        if self._year_at(after, allow_short=False) is not None:
            return self._day_at(j), after
        return None, j

    def _year_after(self, j: int, *, allow_short: bool) -> tuple[int | None, int]:
        """A year at ``j`` (``2027``; ``27`` or ``'27`` if allowed; ``, 2027``)."""
        year = self._year_at(j, allow_short=allow_short)
        if year is not None:
            return year, j + 1
        if allow_short and self._value(j) in _APOSTROPHES:
            year = self._year_at(j + 1, allow_short=True)
        elif self._value(j) == ",":
            year = self._year_at(j + 1, allow_short=False)
        return (year, j + 2) if year is not None else (None, j)

    def _year_at(self, j: int, *, allow_short: bool) -> int | None:
        tok = self._token(j)
        if tok is None or not tok.is_number:
            return None
        if len(tok.value) == 4:
            year = int(tok.value)
            return year if EARLIEST_YEAR <= year <= LATEST_YEAR else None
        if allow_short and len(tok.value) == 2:
            year = 2000 + int(tok.value)
            return year if abs(year - self.cal.start.year) <= SHORT_YEAR_WINDOW else None
        return None

    def _academic_year_at(self, j: int) -> int | None:
        """The first calendar year of ``2027-28``, ``2027/28`` or ``2027-2028``."""
        tok = self._token(j)
        if tok is None or tok.kind != "compound":
            return None
        parts = _COMPOUND_SEPARATOR.split(tok.value)
        if len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) not in (2, 4):
            return None
        first, second = int(parts[0]), int(parts[1])
        follows = second == first + 1 or second == (first + 1) % 100
        return first if follows and EARLIEST_YEAR <= first <= LATEST_YEAR else None

    def _is_lowercase_may(self, i: int) -> bool:
        tok = self._token(i)
        return tok is not None and tok.value == "may" and not tok.text[:1].isupper()

    def _is_verb_may(self, i: int) -> bool:
        """ "may" as a verb: lowercase, or opening a sentence before a lowercase word."""
        if self._value(i) != "may":
            return False
        if self._is_lowercase_may(i):
            return True
        opens_sentence = i == 0 or self._value(i - 1) in _SENTENCE_ENDS
        following = self._token(i + 1)
        return (
            opens_sentence
            and following is not None
            and following.text.isalpha()
            and following.text.islower()
        )

    def _one(self, i: int, end: int, what: str, when: date) -> _Found:
        return _Found(end, (_Mention(self._quote(i, end), what, when),))

    def _token(self, i: int) -> _Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def _value(self, i: int) -> str:
        tok = self._token(i)
        return tok.value if tok is not None else ""

    def _quote(self, i: int, end: int) -> str:
        """The text as written from token ``i`` up to (not including) token ``end``."""
        return self.text[self.tokens[i].start : self.tokens[end - 1].end]
