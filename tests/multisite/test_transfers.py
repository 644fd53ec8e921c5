"""The transfer table: symmetric by default, checked row by row."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from spareplan.errors import ConfigError, InvalidInputError
from spareplan.multisite import PoolSettings, read_transfers

SITES = ("EAST", "NORTH", "SOUTH")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "transfers.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_direction_holds_both_ways_unless_both_are_given(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "from_site,to_site,transfer_hours,cost_per_transfer\n"
        "NORTH,SOUTH,6,80\nEAST,NORTH,10,50\nNORTH,EAST,14,60\n",
    )
    network = read_transfers(path, SITES, PoolSettings(default_transfer_hours=72.0))
    hours = dict(
        zip(
            [(a, b) for a in network.sites for b in network.sites],
            network.transfer_hours.ravel(),
            strict=True,
        )
    )
    assert hours["NORTH", "SOUTH"] == hours["SOUTH", "NORTH"] == 6
    assert hours["EAST", "NORTH"] == 10
    assert hours["NORTH", "EAST"] == 14
    assert hours["EAST", "SOUTH"] == 72  # not listed: the default
    assert np.all(np.diag(network.transfer_hours) == 0)


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ("WEST,NORTH,5", r"row 2, column 'from_site'.*catalogue.*got 'WEST'"),
        ("NORTH,SOUTH,-3", r"row 2, column 'transfer_hours'.*>= 0.*got '-3'"),
        ("NORTH,NORTH,4", r"row 2, column 'to_site'.*itself.*got 'NORTH'"),
        ("NORTH,SOUTH,abc", r"row 2, column 'transfer_hours'.*number.*got 'abc'"),
        ("NORTH,SOUTH,4\nNORTH,SOUTH,5", r"row 3, column 'to_site'.*repeats"),
    ],
)
def test_bad_transfer_rows_name_file_row_column_and_value(
    tmp_path: Path, rows: str, match: str
) -> None:
    path = _write(tmp_path, f"from_site,to_site,transfer_hours\n{rows}\n")
    with pytest.raises(InvalidInputError, match=r"transfers\.csv") as caught:
        read_transfers(path, SITES)
    assert caught.match(match)


def test_missing_hours_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "from_site,to_site\nNORTH,SOUTH\n")
    with pytest.raises(InvalidInputError, match="'transfer_hours' is missing"):
        read_transfers(path, SITES)


def test_settings_refuse_negative_default_hours() -> None:
    with pytest.raises(ConfigError, match=r"default_transfer_hours.*-1"):
        PoolSettings(default_transfer_hours=-1.0)
    assert math.isinf(
        PoolSettings(default_transfer_hours=math.inf).default_transfer_hours
    )
