"""Deadline wording is read as the last day it names, against the academic calendar."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_pipeline.deadlines import (
    DEFAULT_CALENDAR_PATH,
    AcademicCalendar,
    Deadline,
    load_calendar,
    normalise_deadline,
)
from qa_pipeline.errors import ConfigError

CAL = load_calendar()

CASES: list[tuple[str | None, str | None]] = [
    # From the spec.
    ("Spring 2", "2027-03-26"),
    ("Summer 2 2027", "2027-07-21"),
    ("HT4", "2027-03-26"),
    ("end of Spring 2", "2027-03-26"),
    ("By end of Spring 1", "2027-02-12"),
    ("Autumn term", "2026-12-18"),
    ("Summer term", "2027-07-21"),
    ("Spring term", "2027-03-26"),
    ("Christmas", "2026-12-18"),
    ("by Easter", "2027-03-26"),
    ("Oct half term", "2026-10-23"),
    ("October half term", "2026-10-23"),
    ("May half term", "2027-05-28"),
    ("End of year", "2027-07-21"),
    ("end of the year", "2027-07-21"),
    ("July 2027 (review)", "2027-07-31"),
    ("Summer 2027", "2027-07-21"),
    ("Autumn 2027", "2027-12-18"),
    ("03/04/2027", "2027-04-03"),
    ("3/4/27", "2027-04-03"),
    ("06.11.26", "2026-11-06"),
    ("31/12/26", "2026-12-31"),
    ("2027-03-26", "2027-03-26"),
    ("16 July 2027", "2027-07-16"),
    ("16th July 2027", "2027-07-16"),
    ("1 June", "2027-06-01"),
    ("March 2027", "2027-03-31"),
    ("Mar 27", "2027-03-31"),
    ("Sept 2027", "2027-09-30"),
    ("July 27", "2027-07-31"),
    ("Dec 2026", "2026-12-31"),
    ("June", "2027-06-30"),
    ("by July", "2027-07-31"),
    ("Sept – March", "2027-03-31"),
    ("Termly", None),
    ("Ongoing", None),
    ("This year", None),
    ("ASAP", None),
    ("By each annual review", None),
    ("Throughout the year", None),
    ("Review termly", None),
    ("", None),
    (None, None),
    ("31/02/2027", None),
    ("Termly review, complete by July 2027", "2027-07-31"),
    (
        "Reviews every 6 weeks; first full cycle by Easter, all interventions by July 2027",
        "2027-07-31",
    ),
    ("Launch Autumn 1; review Spring 1; fully embedded by end of Summer 2", "2027-07-21"),
    ("Menu by Oct half term; reviews every 8 weeks; evaluation end of Summer 2", "2027-07-21"),
    ("Survey Sept; training Autumn 2 and Spring 1; re-survey June", "2027-06-30"),
    ("Meetings in HT2, HT4 and HT6; surveys in November and June.", "2027-07-21"),
    ("Milestones: Dec 2026 (55%), Mar 2027 (70%); final 28/05/2027", "2027-05-28"),
    ("Three rounds: Autumn 2, Spring 2, Summer 2", "2027-07-21"),
    ("From Nov 2026; audit March 2027", "2027-03-31"),
    ("Toolkits by 25/09/2026; drop-ins each half term; final review 16/07/2027", "2027-07-16"),
    # Invented plan wordings.
    ("half-term 4", "2027-03-26"),
    ("half term 5", "2027-05-28"),
    ("HT 1", "2026-10-23"),
    ("Aut 1", "2026-10-23"),
    ("Feb half term", "2027-02-12"),
    ("February half-term", "2027-02-12"),
    ("Whitsun", "2027-05-28"),
    ("By the end of the academic year", "2027-07-21"),
    ("End of Summer term 2027", "2027-07-21"),
    ("Spring 1 and 2", "2027-03-26"),
    ("Autumn 1 & 2 (pilot), then whole school", "2026-12-18"),
    ("Small-group sessions HT 2, 4 and 6", "2027-07-21"),
    ("Autumn term 2027-28", "2027-12-18"),
    ("Summer 2026", "2026-07-21"),
    ("w/c 12/10/26, then weekly", "2026-10-12"),
    ("Friday 16th July 2027", "2027-07-16"),
    ("3rd of June", "2027-06-03"),
    ("July 16th", "2027-07-16"),
    ("July 16, 2027", "2027-07-16"),
    ("by mid-Feb", "2027-02-28"),
    ("Nov '26", "2026-11-30"),
    ("Dec-26", "2026-12-31"),
    ("By 31 March; impact check at Christmas", "2027-03-31"),
    ("SENCo to audit provision map by 30.11.2026, share with governors Jan 2027", "2027-01-31"),
    ("Year 6 May SATs", "2027-05-31"),
    ("Staff may need further CPD", None),
    ("May", "2027-05-31"),
    ("Y6 and KS2 pupils: 3 x 20 mins a week for 6 weeks, 55% to 70%", None),
    ("1:1 reading, 2 days per week", None),
    ("Ongoing – review at each annual review", None),
    ("As and when needed", None),
    ("TBC", None),
    ("N/A", None),
    ("Ongoing, but first review by half-term 3", "2027-02-12"),
    ("Interventions every 6 weeks; evaluate by Easter 2027", "2027-03-26"),
    ("Phase 1 Sept 2026 – Dec 2026; phase 2 Jan 2027 – April 2027", "2027-04-30"),
    ("Complete by 29/02/2027 (typo) or end of Spring 2", "2027-03-26"),
    ("Parent workshops termly; evaluation report 2027-07-09", "2027-07-09"),
    ("Reading age +12 months by summer", "2027-07-21"),
    ("Version 3.2 of the policy; 10.30 meeting", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_examples(text: str | None, expected: str | None) -> None:
    result = normalise_deadline(text, CAL)
    assert result.date == (date.fromisoformat(expected) if expected else None)
    assert result.reason


def test_reason_for_a_period() -> None:
    result = normalise_deadline("Spring 2", CAL)
    assert result == Deadline(
        date(2027, 3, 26), "'Spring 2' read as the end of Spring 2 (2027-03-26)"
    )


def test_reason_for_no_deadline() -> None:
    assert normalise_deadline("Ongoing", CAL).reason == "'Ongoing' has no end date"


def test_reason_lists_every_date_named() -> None:
    reason = normalise_deadline("Launch Autumn 1; review Spring 1; end of Summer 2", CAL).reason
    assert reason.startswith("latest of 3 dates named: 'Autumn 1' (2026-10-23)")


def test_reason_says_a_shifted_term_is_approximate() -> None:
    assert "approximate" in normalise_deadline("Autumn 2027", CAL).reason


def test_reason_notes_an_impossible_date() -> None:
    assert "'31/02/2027' is not a real date" in normalise_deadline("31/02/2027", CAL).reason


def test_calendar_matches_the_spec() -> None:
    assert CAL.year == "2026-27"
    assert CAL.start == date(2026, 9, 1)
    assert list(CAL.period_ends.values()) == [
        date(2026, 10, 23),
        date(2026, 12, 18),
        date(2027, 2, 12),
        date(2027, 3, 26),
        date(2027, 5, 28),
        date(2027, 7, 21),
    ]


# --------------------------------------------------------------------------- properties

PLAUSIBLE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def _month_year(day: date) -> str:
    return day.strftime("%B %Y")


WRITINGS = (
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: f"{d.day} {d.strftime('%B %Y')}",
    lambda d: d.isoformat(),
    _month_year,
)

TRICKY_WORDS = st.sampled_from(
    [
        "Spring", "1", "2", "and", "HT", "HT4", "half-term", "May", "may", "June", "27",
        "2027", "2026-27", "31/02/2027", "3/4", "10.30", "Year", "6", "16th", "of", ",",
        "–", "-", "'", "Autumn", "end", "the", "year", "ongoing", "29", "February", "0",
        "99999999999999999999", "Sept", "2100", "2101", "1899", "9999-99-99", "٣/٤/٢٠٢٧",
    ]
)  # fmt: skip


@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(normalise_deadline(text, CAL), Deadline)


@given(st.lists(TRICKY_WORDS, max_size=12).map(" ".join))
def test_never_raises_on_date_like_words(text: str) -> None:
    assert isinstance(normalise_deadline(text, CAL), Deadline)


@given(PLAUSIBLE_DATES)
def test_a_day_first_date_reads_as_itself(day: date) -> None:
    assert normalise_deadline(day.strftime("%d/%m/%Y"), CAL).date == day
    assert normalise_deadline(f"{day.day} {day.strftime('%B %Y')}", CAL).date == day


@given(st.integers(min_value=0, max_value=11))
def test_a_month_of_the_academic_year_reads_as_its_last_day(offset: int) -> None:
    month = (CAL.start.month - 1 + offset) % 12 + 1
    year = CAL.start.year + (CAL.start.month - 1 + offset) // 12
    last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
    assert normalise_deadline(f"{last:%B} {year}", CAL).date == last


@given(
    st.lists(
        st.tuples(PLAUSIBLE_DATES, st.sampled_from(WRITINGS)),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["; ", ", then ", " and ", ". Final: "]),
)
def test_several_dates_read_as_the_latest(parts: list[tuple[date, object]], separator: str) -> None:
    texts = [write(day) for day, write in parts]  # type: ignore[operator]
    alone = [normalise_deadline(text, CAL).date for text in texts]
    assert normalise_deadline(separator.join(texts), CAL).date == max(
        d for d in alone if d is not None
    )


def _calendar_file(year: str, start: date, ends: list[date]) -> dict[str, object]:
    """A calendar file's content, reusing the shipped vocabulary."""
    shipped = yaml.safe_load(DEFAULT_CALENDAR_PATH.read_text(encoding="utf-8"))
    keys = list(shipped["periods"])
    return {
        "periods": shipped["periods"],
        "no_deadline": shipped["no_deadline"],
        "years": {
            year: {
                "start": start,
                "end": date(start.year + 1, 8, 31),
                "periods": dict(zip(keys, ends, strict=True)),
            }
        },
    }


@settings(max_examples=25)
@given(
    st.integers(min_value=2000, max_value=2090),
    st.lists(st.integers(min_value=1, max_value=55), min_size=6, max_size=6),
)
def test_calendar_round_trip(
    tmp_path_factory: pytest.TempPathFactory, first: int, gaps: list[int]
) -> None:
    start = date(first, 9, 1)
    ends = []
    for gap in gaps:
        ends.append((ends[-1] if ends else start) + timedelta(days=gap))
    year = f"{first}-{(first + 1) % 100:02d}"
    path = tmp_path_factory.mktemp("cal") / "calendar.yaml"
    path.write_text(yaml.safe_dump(_calendar_file(year, start, ends)), encoding="utf-8")
    loaded = load_calendar(path, year)
    assert isinstance(loaded, AcademicCalendar)
    assert (loaded.year, loaded.start) == (year, start)
    assert list(loaded.period_ends.values()) == ends
    assert loaded.aliases == CAL.aliases
    assert loaded.no_deadline == CAL.no_deadline
    assert normalise_deadline("Spring 2", loaded).date == ends[3]


def test_shipped_calendar_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(
        yaml.safe_dump(_calendar_file(CAL.year, CAL.start, list(CAL.period_ends.values()))),
        encoding="utf-8",
    )
    assert load_calendar(path) == CAL


@settings(max_examples=25)
@given(st.sampled_from(["", "periods.summer_2", "years.2026-27"]), st.text("abcxyz_", min_size=3))
def test_an_unknown_key_is_named(
    tmp_path_factory: pytest.TempPathFactory, where: str, key: str
) -> None:
    content = _calendar_file(CAL.year, CAL.start, list(CAL.period_ends.values()))
    target: dict[str, object] = content
    for part in filter(None, where.split(".")):
        target = target[part]  # type: ignore[assignment]
    if key in target:
        return
    target[key] = "surplus"
    path = tmp_path_factory.mktemp("cal") / "calendar.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_calendar(path)
    message = str(raised.value)
    assert str(path) in message
    assert ".".join(filter(None, [where, key])) in message
    assert "allowed" in message


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda c: c["years"]["2026-27"]["periods"].update(autumn_3=date(2026, 11, 1)),
         "years.2026-27.periods.autumn_3"),
        (lambda c: c["years"]["2026-27"]["periods"].pop("spring_1"), "years.2026-27.periods"),
        (lambda c: c["years"]["2026-27"]["periods"].update(spring_1=date(2027, 4, 1)),
         "years.2026-27.periods.spring_2"),
        (lambda c: c["periods"]["spring_1"]["aliases"].append("Easter"),
         "periods.spring_1.aliases"),
        (lambda c: c["no_deadline"].append("Christmas"), "no_deadline"),
        (lambda c: c["years"].update({"2027": c["years"]["2026-27"]}), "years.2027"),
        (lambda c: c["years"]["2026-27"].update(start="not a date"), "years.2026-27.start"),
    ],
)  # fmt: skip
def test_an_inconsistent_calendar_is_named(tmp_path: Path, change: object, named: str) -> None:
    content = _calendar_file(CAL.year, CAL.start, list(CAL.period_ends.values()))
    change(content)  # type: ignore[operator]
    path = tmp_path / "calendar.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_calendar(path)


def test_a_missing_year_or_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="available: 2026-27"):
        load_calendar(year="2030-31")
    with pytest.raises(ConfigError, match="cannot read"):
        load_calendar(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("years: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_calendar(broken)
