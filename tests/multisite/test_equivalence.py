"""Part equivalence: MPN normalisation, groups, interchangeability files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from spareplan.errors import InvalidInputError
from spareplan.multisite import (
    equivalence_groups,
    normalise_mpn,
    read_equivalents,
    read_part_attributes,
)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("6205-2RS", "62052RS"),
        (" 6205 2rs ", "62052RS"),
        ("6205.2RS/C3", "62052RSC3"),
        ("r47-drn_100", "R47DRN100"),
        ("\uff16\uff12\uff10\uff15-2RS", "62052RS"),  # full-width digits
        ("", ""),
        (None, ""),
    ],
)
def test_mpn_normalisation_drops_case_spaces_dashes_and_punctuation(
    raw: str | None, normal: str
) -> None:
    assert normalise_mpn(raw) == normal


def test_parts_sharing_a_normalised_mpn_form_one_group(catalogue: Path) -> None:
    attributes = read_part_attributes(catalogue)
    groups = equivalence_groups(attributes["part_id"], attributes).groups
    group = dict(groups.select("part_id", "group_id").iter_rows())
    assert group["P-9"] == group["P-1"] == "P-1"
    assert group["S-1"] != group["S-2"]
    assert group["M-7"] == "M-7"


def test_short_mpns_link_nothing() -> None:
    attributes = pl.DataFrame({"part_id": ["A", "B"], "mpn_normalised": ["X1", "X1"]})
    groups = equivalence_groups(attributes["part_id"], attributes).groups
    assert groups["group_id"].to_list() == ["A", "B"]


def test_pairs_and_groups_files_link_parts(tmp_path: Path, catalogue: Path) -> None:
    pairs_file = tmp_path / "pairs.csv"
    pairs_file.write_text("part_id,equivalent_part_id\nM-1,M-7\n", encoding="utf-8")
    groups_file = tmp_path / "groups.csv"
    groups_file.write_text("group_id,part_id\nG1,S-1\nG1,S-2\n", encoding="utf-8")
    attributes = read_part_attributes(catalogue)
    for path in (pairs_file, groups_file):
        pairs, file = read_equivalents(path)
        groups = equivalence_groups(
            attributes["part_id"], attributes, pairs, pairs_file=file
        ).groups
        linked = groups.filter(pl.col("n_parts_in_group") > 1)["part_id"].to_list()
        assert "P-9" in linked
        assert ("M-7" in linked) == (path == pairs_file)
        assert ("S-2" in linked) == (path == groups_file)


def test_unknown_part_in_equivalents_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("part_id,equivalent_part_id\nA,ZZZ\n", encoding="utf-8")
    pairs, file = read_equivalents(path)
    result = equivalence_groups(pl.Series(["A", "B"]), None, pairs, pairs_file=file)
    assert result.groups["group_id"].to_list() == ["A", "B"]
    assert "'ZZZ' is not in the catalogue" in str(result.warnings[0])
    assert "row 2" in str(result.warnings[0])


def test_equivalents_file_without_known_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("left,right\nA,B\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"pairs\.csv.*'equivalent_part_id'"):
        read_equivalents(path)
