"""Fuzzy duplicates across sites and the planner's decisions about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from spareplan.errors import InvalidInputError
from spareplan.multisite import duplicate_files, read_decisions


def _pairs(found: object) -> set[tuple[str, str]]:
    return set(found.select("part_id_a", "part_id_b").rows())  # type: ignore[attr-defined]


def test_duplicates_of_the_hand_made_set_score_as_expected(catalogue: Path) -> None:
    found = duplicate_files(catalogue)
    # P-1 and P-9 share an MPN, so they are linked, never proposed. The gear
    # motors differ only in case and M-7 lacking an MPN ("SEW R47DRN100 gear motor")
    # and M-7 has no MPN; the seals' MPNs T2135 and T2136 differ in one digit.
    assert _pairs(found) == {("M-1", "M-7")}
    row = found.row(0, named=True)
    assert 85 <= row["score"] <= 100
    assert row["sites_a"] == "NORTH"
    assert row["sites_b"] == "SOUTH"
    assert row["decision"] == ""


def test_a_rejected_pair_is_never_proposed_again(
    catalogue: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("part_id_a,part_id_b,decision\nM-7,M-1,reject\n")
    assert _pairs(duplicate_files(catalogue, decisions)) == set()


def test_a_confirmed_pair_joins_one_group(catalogue: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("part_id_a,part_id_b,decision,score\nM-1,M-7,Yes,91\n")
    found = duplicate_files(catalogue, decisions)
    assert _pairs(found) == set()
    undecided = tmp_path / "undecided.csv"
    undecided.write_text("part_id_a,part_id_b,decision\nM-1,M-7,\n")
    assert _pairs(duplicate_files(catalogue, undecided)) == {("M-1", "M-7")}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("part_id_a,part_id_b\nA,B\n", "required column 'decision' is missing"),
        (
            "part_id_a,part_id_b,decision\nA,B,confirm\nA,C,maybe\n",
            r"decisions.csv, row 3, column 'decision'.*got 'maybe'",
        ),
        (
            "part_id_a,part_id_b,decision\nA,A,confirm\n",
            r"row 2, column 'part_id_b'.*paired with itself\), got 'A'",
        ),
        (
            "part_id_a,part_id_b,decision\n,B,reject\n",
            r"row 2, column 'part_id_a'.*empty",
        ),
    ],
)
def test_malformed_decisions_name_file_row_column_and_value(
    tmp_path: Path, text: str, match: str
) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=match):
        read_decisions(path)
