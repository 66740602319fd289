"""Tests of the framework file, self-evaluation exports, area profiles and school matching."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from qa_pipeline.errors import ConfigError, SelfEvaluationError
from qa_pipeline.framework import DEFAULT_FRAMEWORK_PATH, Framework, load_framework
from qa_pipeline.selfeval import (
    SchoolEvaluation,
    SelfEvaluations,
    StatementRating,
    load_self_evaluations,
    normalise_school_name,
    profile,
)

HEADER = ["school_urn", "school_name", "stage", "area_id", "area", "statement_id", "statement",
          "rating", "comment", "completed_on"]


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework()


def rows_for(framework: Framework, urn: object, name: str, stage: str,
             ratings: dict[str, object], completed_on: object = "2026-09-24") -> list[list[object]]:
    """Export rows for one school and stage; statements not given are rated 3."""
    out: list[list[object]] = []
    for area in framework.areas:
        for s in area.statements:
            out.append([urn, name, stage, area.id, area.name, s.id, s.text,
                        ratings.get(s.id, 3), "", completed_on])
    return out


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER,
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Self-evaluation"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.create_sheet("Notes").append(["not read"])
    wb.save(path)
    return path


# --------------------------------------------------------------------------- framework


def test_framework_file_has_ten_areas_of_four_statements(framework: Framework) -> None:
    assert framework.area_ids() == ["leadership", "identification", "teaching", "interventions",
                                    "outcomes", "families", "pupil_voice", "workforce",
                                    "transition", "partnerships"]
    assert [len(a.statements) for a in framework.areas] == [4] * 10
    assert framework.area("families").statement_ids() == ["F1", "F2", "F3", "F4"]
    assert framework.area("leadership").name == "Leadership of SEND"
    assert "PfA" in framework.area("transition").aliases
    assert framework.thresholds.gap_below == 2.5
    assert framework.thresholds.strength_at_or_above == 3.25
    assert [(lv.value, lv.label) for lv in framework.rating_scale.levels] == [
        (1, "Not yet in place"), (2, "Emerging"), (3, "Established"), (4, "Embedded")]
    assert framework.statement_area("E4") == "partnerships"
    assert framework.statement_area("q3") == "teaching"
    assert framework.statement_area("Z9") is None
    with pytest.raises(KeyError, match="leadership"):
        framework.area("sendco")


def test_unknown_key_in_framework_copy_names_key_path(tmp_path: Path) -> None:
    text = DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8")
    # the second statement of the fourth area (interventions: T2)
    assert "      - id: T2\n" in text
    copy = tmp_path / "framework.yaml"
    copy.write_text(text.replace("      - id: T2\n", "      - idd: T2\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_framework(copy)
    message = str(info.value)
    assert str(copy) in message
    assert "areas.3.statements.1.idd: unknown key" in message
    assert "the keys allowed there are id, text" in message


def test_invalid_threshold_and_duplicate_ids_are_config_errors(tmp_path: Path) -> None:
    text = DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("gap_below: 2.5", "gap_below: low"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"thresholds\.gap_below: .*number.*'low'"):
        load_framework(bad)
    bad.write_text(text.replace("      - id: I1\n", "      - id: L1\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match="statement ids must be unique across areas; "
                                          "repeated: L1"):
        load_framework(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_framework(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("value", "expected"), [
    (1, 1), (4, 4), (3.0, 3), ("3", 3), ("3.0", 3), (" 2 ", 2),
    ("Established", 3), ("  not YET in   place ", 1), ("EMBEDDED", 4), ("emerging", 2),
    ("3 - Established", 3), ("Embedded (4)", 4),
    ("N/A", None), ("NA", None), ("n/a", None), ("", None), ("  ", None), (None, None),
])
def test_parse_rating_accepts(framework: Framework, value: object, expected: int | None) -> None:
    assert framework.parse_rating(value) == expected


@pytest.mark.parametrize("value", ["Good", 0, 5, 2.5, "3.5", "-1", True, "3 - Emerging",
                                   float("nan"), [3]])
def test_parse_rating_rejects_with_allowed_values(framework: Framework, value: object) -> None:
    with pytest.raises(ValueError, match=r"is not 1-4, a scale label \(Not yet in place, "
                                         r"Emerging, Established, Embedded\) or N/A"):
        framework.parse_rating(value)


@given(level=st.sampled_from([(1, "Not yet in place"), (2, "Emerging"), (3, "Established"),
                              (4, "Embedded")]),
       flips=st.lists(st.booleans(), min_size=20, max_size=20),
       left=st.sampled_from(["", " ", "  ", "\t"]), right=st.sampled_from(["", " ", "\n"]))
def test_every_label_in_any_case_parses_to_its_value(
        level: tuple[int, str], flips: list[bool], left: str, right: str) -> None:
    framework = load_framework()
    value, label = level
    cased = "".join(ch.upper() if flip else ch.lower()
                    for ch, flip in zip(label, flips + [False] * len(label), strict=False))
    assert framework.parse_rating(left + cased + right) == value


# --------------------------------------------------------------------------- area ratings


def test_area_means_leave_out_na_and_read_labels(tmp_path: Path, framework: Framework) -> None:
    rows = rows_for(framework, "131004", "Ashgrove Primary School", "baseline", {
        "L1": "4", "L2": "N/A", "L3": "eMbEdDeD", "L4": "established",   # (4+4+3)/3
        "I1": "n/a", "I2": "NA", "I3": "", "I4": "N/A",                 # none rated
        "Q1": "1", "Q2": "Not Yet In Place", "Q3": "2", "Q4": "EMERGING",  # 1.5
        "T1": "2", "T2": "3", "T3": "N/A", "T4": "2",                     # 7/3
    })
    se = load_self_evaluations(write_csv(tmp_path / "se.csv", rows), framework)
    assert se.warnings == []
    ev = se.evaluation("131004")
    assert ev is not None
    assert ev.name == "Ashgrove Primary School"
    assert ev.completed_on == "2026-09-24"
    assert len(ev.ratings) == 40
    assert ev.ratings[1] == StatementRating("L2", "leadership", None, None)
    means = ev.area_ratings()
    assert means["leadership"] == 3.67
    assert means["identification"] is None
    assert means["teaching"] == 1.5
    assert means["interventions"] == 2.33
    assert means["outcomes"] == 3.0
    prof = profile(ev, framework)
    assert list(prof.ratings) == framework.area_ids()
    assert prof.gaps == ["teaching", "interventions"]
    assert prof.strengths == ["leadership"]


def test_gap_and_strength_boundaries(framework: Framework) -> None:
    def rate(area_id: str, values: list[int | None]) -> list[StatementRating]:
        ids = framework.area(area_id).statement_ids()
        return [StatementRating(i, area_id, v, None) for i, v in zip(ids, values, strict=True)]

    ev = SchoolEvaluation("131004", "Ashgrove", "baseline", None, [
        *rate("leadership", [2, 3, 2, 3]),          # 2.5: not a gap
        *rate("identification", [2, 2, 3, 2]),      # 2.25: gap
        *rate("teaching", [3, 3, 3, 4]),            # 3.25: strength
        *rate("interventions", [3, 3, 3, 3]),       # 3.0: neither
        *rate("outcomes", [2, 3, None, None]),      # 2.5 from two rated: not a gap
        *rate("families", [4, 3, 3, None]),         # 3.33: strength
        *rate("pupil_voice", [None, None, None, None]),  # not rated: neither
        *rate("workforce", [1, 1, 1, 1]),           # 1.0: gap
    ])
    prof = profile(ev, framework)
    assert prof.ratings == {"leadership": 2.5, "identification": 2.25, "teaching": 3.25,
                            "interventions": 3.0, "outcomes": 2.5, "families": 3.33,
                            "pupil_voice": None, "workforce": 1.0, "transition": None,
                            "partnerships": None}
    assert prof.gaps == ["identification", "workforce"]
    assert prof.strengths == ["teaching", "families"]


def test_thresholds_come_from_the_framework(tmp_path: Path) -> None:
    text = DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8")
    custom = tmp_path / "framework.yaml"
    custom.write_text(text.replace("gap_below: 2.5", "gap_below: 3.75")
                      .replace("strength_at_or_above: 3.25", "strength_at_or_above: 4"),
                      encoding="utf-8")
    fw = load_framework(custom)
    ev = SchoolEvaluation("131004", "Ashgrove", "baseline", None, [
        StatementRating("L1", "leadership", 3, None), StatementRating("L2", "leadership", 4, None),
        StatementRating("Q1", "teaching", 4, None)])
    prof = profile(ev, fw)
    assert prof.gaps == ["leadership"]
    assert prof.strengths == ["teaching"]


def test_baseline_and_final_are_kept_apart(tmp_path: Path, framework: Framework) -> None:
    rows = (rows_for(framework, "131004", "Ashgrove Primary School", "baseline",
                     {"I1": 1, "I2": 2, "I3": 2, "I4": 2}, "2026-09-24")
            + rows_for(framework, "131004", "Ashgrove Primary School", "Final",
                       {"I1": 3, "I2": 3, "I3": 4, "I4": 4}, "2027-07-01")
            + rows_for(framework, "131011", "Bramley Heath High", "baseline", {}))
    se = load_self_evaluations(write_csv(tmp_path / "se.csv", rows), framework)
    assert se.schools() == [("131004", "Ashgrove Primary School"),
                            ("131011", "Bramley Heath High")]
    assert se.stages("131004") == ["baseline", "final"]
    assert se.stages("131011") == ["baseline"]
    assert se.stages("999999") == []
    base, final = se.evaluation("131004"), se.evaluation("131004", "final")
    assert base is not None and final is not None
    assert base.area_ratings()["identification"] == 1.75
    assert final.area_ratings()["identification"] == 3.5
    assert final.completed_on == "2027-07-01"
    assert profile(base, framework).gaps == ["identification"]
    assert profile(final, framework).strengths == ["identification"]
    assert se.evaluation("131011", "final") is None
    assert se.evaluation("123456") is None


def test_csv_with_excel_bom_and_loose_headers(tmp_path: Path, framework: Framework) -> None:
    header = [" School URN", "School Name", "STAGE", "Area ID", "Area", "Statement ID",
              "Statement", " Rating ", "Comment", "Completed On"]
    rows = rows_for(framework, "132041", "St Swithun’s Catholic Primary School", "baseline",
                    {"W1": "1", "W2": "1"}, "24/09/2026")
    path = write_csv(tmp_path / "se.csv", rows, header=header, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    se = load_self_evaluations(path, framework)
    assert se.schools() == [("132041", "St Swithun’s Catholic Primary School")]
    ev = se.evaluation("132041")
    assert ev is not None
    assert ev.completed_on == "2026-09-24"
    assert ev.area_ratings()["workforce"] == 2.0


def test_xlsx_with_float_urns_numbers_and_labels(tmp_path: Path, framework: Framework) -> None:
    rows = rows_for(framework, 131004.0, "Ashgrove Primary School", "baseline",
                    {"L1": 4, "L2": 4.0, "L3": "Embedded", "L4": "embedded",
                     "F1": 1, "F2": "not yet in place", "F3": None, "F4": "N/A"},
                    datetime(2026, 9, 24))
    rows += rows_for(framework, 131011, "Bramley Heath High", "final", {"L1": 1})
    path = write_xlsx(tmp_path / "se.xlsx", rows)
    se = load_self_evaluations(path, framework)
    assert se.warnings == []
    assert se.schools() == [("131004", "Ashgrove Primary School"),
                            ("131011", "Bramley Heath High")]
    ev = se.evaluation("131004")
    assert ev is not None
    assert ev.urn == "131004"
    assert ev.completed_on == "2026-09-24"
    prof = profile(ev, framework)
    assert prof.ratings["leadership"] == 4.0
    assert prof.ratings["families"] == 1.0
    assert prof.gaps == ["families"]
    assert prof.strengths == ["leadership"]
    assert se.stages(131011) == ["final"]
    assert se.evaluation("131004.0") is ev


def test_missing_column_is_named(tmp_path: Path, framework: Framework) -> None:
    header = [h for h in HEADER if h != "rating"]
    rows = [r[:7] + r[8:] for r in rows_for(framework, "131004", "Ashgrove", "baseline", {})]
    with pytest.raises(SelfEvaluationError) as info:
        load_self_evaluations(write_csv(tmp_path / "se.csv", rows, header=header), framework)
    message = str(info.value)
    assert "se.csv" in message
    assert "missing the column rating" in message


def test_bad_rating_is_a_warning_and_left_out(tmp_path: Path, framework: Framework) -> None:
    rows = rows_for(framework, "131004", "Ashgrove", "baseline",
                    {"L1": "4", "L2": "Good", "L3": "4", "L4": "4"})
    se = load_self_evaluations(write_csv(tmp_path / "se.csv", rows), framework)
    # header is line 1, L1 is line 2, L2 is line 3
    assert se.warnings == [
        "line 3: rating 'Good' for 131004 L2 is not 1-4, a scale label (Not yet in place, "
        "Emerging, Established, Embedded) or N/A for not rated; left out"]
    ev = se.evaluation("131004")
    assert ev is not None
    assert ev.ratings[1].rating is None
    assert ev.area_ratings()["leadership"] == 4.0


def test_line_numbers_count_multiline_comments(tmp_path: Path, framework: Framework) -> None:
    rows = rows_for(framework, "131004", "Ashgrove", "baseline", {"L3": "5"})
    rows[0][8] = "first line\nsecond line"
    se = load_self_evaluations(write_csv(tmp_path / "se.csv", rows), framework)
    assert se.warnings[0].startswith("line 5: rating '5' for 131004 L3")


def test_unknown_stage_raises(tmp_path: Path, framework: Framework) -> None:
    rows = rows_for(framework, "131004", "Ashgrove", "midpoint", {})
    with pytest.raises(SelfEvaluationError, match=r"line 2: stage 'midpoint' is not one of "
                                                  r"baseline, final"):
        load_self_evaluations(write_csv(tmp_path / "se.csv", rows), framework)


def test_unusable_files_raise(tmp_path: Path, framework: Framework) -> None:
    with pytest.raises(SelfEvaluationError, match=r"must be \.csv or \.xlsx"):
        load_self_evaluations(tmp_path / "se.ods", framework)
    with pytest.raises(SelfEvaluationError, match="does not exist"):
        load_self_evaluations(tmp_path / "absent.csv", framework)
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(SelfEvaluationError, match="is empty"):
        load_self_evaluations(tmp_path / "empty.csv", framework)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(SelfEvaluationError, match="cannot be read as an XLSX workbook"):
        load_self_evaluations(tmp_path / "broken.xlsx", framework)


# --------------------------------------------------------------------------- matching

SCHOOLS = [
    ("132041", "St Swithun's Catholic Primary School"),
    ("131042", "Holy Trinity CofE Primary"),
    ("132059", "Victoria Park Primary School"),
    ("131036", "Greythorn Community Primary School"),
    ("132023", "Pennington C of E Primary School"),
    ("131067", "Larkspur Junior School"),
    ("131070", "Oakfield Primary School"),
    ("131071", "Oakfield Junior School"),
]


@pytest.fixture(scope="module")
def schools(tmp_path_factory: pytest.TempPathFactory, framework: Framework) -> SelfEvaluations:
    rows: list[list[object]] = []
    for urn, name in SCHOOLS:
        rows += rows_for(framework, urn, name, "baseline", {})
    path = write_csv(tmp_path_factory.mktemp("match") / "se.csv", rows)
    return load_self_evaluations(path, framework)


@pytest.mark.parametrize(("plan_name", "urn", "school"), [
    ("Saint Swithun's Catholic Primary", "132041", "St Swithun's Catholic Primary School"),
    ("St. Swithun’s Catholic Primary School", "132041", "St Swithun's Catholic Primary School"),
    ("Holy Trinity Church of England Primary School", "131042", "Holy Trinity CofE Primary"),
    ("Victoria Park Primary", "132059", "Victoria Park Primary School"),
    ("Greythorn Primary", "131036", "Greythorn Community Primary School"),
    ("Pennington Church of England Primary School", "132023",
     "Pennington C of E Primary School"),
    ("PENNINGTON C.E. PRIMARY", "132023", "Pennington C of E Primary School"),
    ("Larkspur Junior", "131067", "Larkspur Junior School"),
    ("Oakfield Junior", "131071", "Oakfield Junior School"),
])
def test_match_by_name(schools: SelfEvaluations, plan_name: str, urn: str, school: str) -> None:
    match = schools.match(plan_name, None)
    assert (match.method, match.urn, match.name) == ("name", urn, school)
    assert match.message == (f"Matched by name: '{plan_name}' is '{school}' ({urn}) in the "
                             f"self-evaluations.")
    assert match.candidates == []


def test_match_by_urn_first(schools: SelfEvaluations) -> None:
    match = schools.match("Holy Trinity CofE Primary", "131042")
    assert (match.method, match.urn, match.name) == ("urn", "131042",
                                                     "Holy Trinity CofE Primary")
    assert match.message == "Matched by URN 131042 to 'Holy Trinity CofE Primary' in the " \
                            "self-evaluations."
    other = schools.match("Victoria Park Primary", "131042")
    assert other.method == "urn" and other.urn == "131042"
    assert other.message.endswith("although the plan names the school 'Victoria Park Primary'.")


def test_unknown_urn_falls_back_to_name(schools: SelfEvaluations) -> None:
    match = schools.match("Victoria Park Primary", "999999")
    assert (match.method, match.urn) == ("name", "132059")
    assert match.message == ("URN 999999 is not in the self-evaluations; matched by name: "
                             "'Victoria Park Primary' is 'Victoria Park Primary School' "
                             "(132059) in the self-evaluations.")
    alone = schools.match(None, "999999")
    assert alone.method == "none"
    assert alone.message == ("URN 999999 is not in the self-evaluations and the plan gives no "
                             "school name to match by.")


def test_ambiguous_name(schools: SelfEvaluations) -> None:
    match = schools.match("Oakfield", None)
    assert match.method == "ambiguous"
    assert (match.urn, match.name) == (None, None)
    assert match.candidates == ["Oakfield Primary School (131070)",
                                "Oakfield Junior School (131071)"]
    assert match.message == ("The name 'Oakfield' could be any of 2 schools in the "
                             "self-evaluations (Oakfield Primary School (131070) and Oakfield "
                             "Junior School (131071)); add the URN to the plan to choose.")


def test_no_matching_name(schools: SelfEvaluations) -> None:
    for plan_name in ("Westmoor Academy", "Larkspur Infant School", "Primary School"):
        match = schools.match(plan_name, None)
        assert (match.method, match.urn, match.name) == ("none", None, None)
        assert match.message == (f"No school in the self-evaluations matches the name "
                                 f"'{plan_name}'.")
    nothing = schools.match("  ", None)
    assert nothing.method == "none"
    assert "neither a URN nor a school name" in nothing.message


@pytest.mark.parametrize(("a", "b"), [
    ("Saint Swithun's Catholic Primary", "St Swithun’s Catholic Primary School"),
    ("Holy Trinity Church of England Primary School", "Holy Trinity CofE Primary"),
    ("Holy Trinity C.E. Primary", "holy trinity ce primary school"),
    ("Greythorn Community Primary School", "Greythorn Primary"),
    ("Pennington C of E Primary School", "PENNINGTON CHURCH OF ENGLAND PRIMARY"),
    ("St Mary & St John", "Saint Mary and Saint John"),
    ("The Priory Primary Academy", "Priory Primary School"),
])
def test_normalise_equates_variants(a: str, b: str) -> None:
    assert normalise_school_name(a) == normalise_school_name(b)


def test_normalise_example() -> None:
    assert normalise_school_name(" Saint Swithun’s R.C. Primary School ") == \
        "st swithuns catholic primary"


# --------------------------------------------------------------------------- properties

WORDS = ["St", "Saint", "St.", "Mary's", "John’s", "Holy", "Trinity", "C", "of", "E", "CofE",
         "C.E.", "CE", "Church", "England", "Primary", "School", "Community", "Academy",
         "Junior", "Infant", "&", "and", "The", "Park", "Victoria", "(VA)", "Oak-field",
         "Catholic", "RC", "Roman", "High", "-", ",", "School,"]
NAME_CHARS = st.characters(codec="latin-1", categories=["L", "N", "P", "Zs"])
names = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.text(NAME_CHARS, max_size=40),
    st.text(st.sampled_from("StSaintCofE&.'’ -pq"), max_size=30),
)
padding = st.text(st.sampled_from(" \t\n"), max_size=3)


@given(names)
def test_normalise_is_idempotent(name: str) -> None:
    once = normalise_school_name(name)
    assert normalise_school_name(once) == once


@given(names, padding, padding)
def test_normalise_ignores_case_and_surrounding_space(name: str, left: str, right: str) -> None:
    expected = normalise_school_name(name)
    assert normalise_school_name(name.upper()) == expected
    assert normalise_school_name(name.lower()) == expected
    assert normalise_school_name(left + name.swapcase() + right) == expected


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.data())
def test_normalise_treats_st_and_saint_alike(words: list[str], data: st.DataObject) -> None:
    swapped = [data.draw(st.sampled_from(["St", "Saint", "ST", "saint", "St."]))
               if w in ("St", "Saint", "St.") else w for w in words]
    assert normalise_school_name(" ".join(swapped)) == normalise_school_name(" ".join(words))


def test_framework_copy_loads_identically(tmp_path: Path) -> None:
    # the framework file can be copied and loaded from elsewhere unchanged
    copy = tmp_path / "framework.yaml"
    shutil.copy(DEFAULT_FRAMEWORK_PATH, copy)
    assert load_framework(copy) == load_framework()
