"""Header lines in the forms schools write them, and property tests of the normalisers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qa_pipeline.extract.header import HeaderBuilder, header_pairs, title_case
from qa_pipeline.extract.labels import vocabulary
from qa_pipeline.models import Provenance

VOCAB = vocabulary()
LABELS = {"urn": "URN", "senco": "SENCo", "headteacher": "Headteacher",
          "local_authority": "Local authority", "coach": "Peer coach", "date_text": "Date"}
SEPARATORS = ["  |  ", " · ", "    ", "\t", "; "]

names = st.builds(
    lambda title, initial, surname: f"{title} {initial}. {surname}",
    st.sampled_from(["Mrs", "Mr", "Ms", "Dr", "Miss"]),
    st.sampled_from("ABCDEFGHJKLMNPRSTW"),
    st.from_regex(r"[A-Z][a-z]{3,9}", fullmatch=True).filter(
        lambda s: VOCAB.header.match(s, 0) is None),
)


def test_run_together_line_is_split_at_each_label() -> None:
    line = "URN 132047 Local authority: Eastbridge SENCo: Mrs C. Mbeki Headteacher: Dr M. Row"
    assert header_pairs(line, VOCAB) == [("urn", "132047"), ("local_authority", "Eastbridge"),
                                         ("senco", "Mrs C. Mbeki"),
                                         ("headteacher", "Dr M. Row")]


def test_value_before_la_and_words_inside_values_are_not_labels() -> None:
    assert ("local_authority", "Northmoor") in header_pairs("URN 131036 • Northmoor LA", VOCAB)
    pairs = dict(header_pairs("SEND Action Plan (agreed with peer coach)", VOCAB))
    assert "coach" not in pairs


@given(st.lists(st.sampled_from(sorted(LABELS)), min_size=1, max_size=5, unique=True),
       st.data())
def test_labelled_values_are_recovered_whatever_the_separator(fields: list[str],
                                                               data: st.DataObject) -> None:
    values: dict[str, str] = {}
    parts: list[str] = []
    for f in fields:
        if f == "urn":
            value = data.draw(st.from_regex(r"1[0-9]{5}", fullmatch=True))
        elif f == "date_text":
            value = data.draw(st.sampled_from(["14/10/2026", "9 October 2026", "Sept 2026"]))
        elif f == "local_authority":
            value = data.draw(st.sampled_from(["Northmoor", "Eastbridge", "Kent"]))
        else:
            value = data.draw(names)
        values[f] = value
        parts.append(f"{LABELS[f]}: {value}")
    line = data.draw(st.sampled_from(SEPARATORS)).join(parts)
    assert dict(header_pairs(line, VOCAB)) == values


@given(st.from_regex(r"[0-9]{6}", fullmatch=True), st.sampled_from(["URN", "URN:", "Urn -"]))
def test_urn_is_six_digits(urn: str, label: str) -> None:
    builder = HeaderBuilder(VOCAB)
    builder.line(f"{label} {urn}", Provenance(block=0))
    header = builder.finish()
    assert header.urn is not None and header.urn.text == urn


@given(st.lists(st.from_regex(r"[A-Z]{2,9}", fullmatch=True), min_size=1, max_size=6))
def test_title_case_is_idempotent(words: list[str]) -> None:
    once = title_case(" ".join(words))
    assert title_case(once) == once
    assert once.lower() == " ".join(words).lower()


def test_school_name_from_a_shouted_title_line() -> None:
    builder = HeaderBuilder(VOCAB)
    builder.line("COBBLE LANE PRIMARY SCHOOL — SEND ACTION PLAN", Provenance(block=0))
    builder.line("Academic year 2026/27", Provenance(block=1))
    name = builder.finish().school_name
    assert name is not None and name.text == "Cobble Lane Primary School"
