from datetime import date

import numpy as np
import pytest

from spareplan.config import PlanConfig
from spareplan.errors import InvalidInputError
from spareplan.io.history import read_history


def test_reads_real_carparts_file_as_it_is(carparts):
    _, history_path = carparts
    history = read_history(history_path)
    assert history.quantity.shape == (2674, 51)
    assert not history.has_site
    assert history.period_start[0] == date(1998, 1, 1)
    assert history.period_start[-1] == date(2002, 3, 1)
    assert history.period_days[:3].tolist() == [31.0, 28.0, 31.0]
    assert history.period_days[49] == 28.0  # Feb-02
    # 165 series end early: their blank cells are no record, never zeros.
    n_recorded = (~np.isnan(history.quantity)).sum(axis=1)
    assert (n_recorded < 51).sum() == 165
    first = history.keys.get_column("part_id").to_list().index("21029627")
    assert n_recorded[first] == 14  # Jan-98..Feb-99
    assert np.nansum(history.quantity[first]) == 3.0


def test_wide_history_with_date_headers_uses_gaps_as_period_lengths(write_csv):
    path = write_csv(
        "part_id,site_id,2024-01-01,2024-01-08,2024-01-15\nP1,A,1,,3\n", "usage.csv"
    )
    history = read_history(path)
    assert history.period_days.tolist() == [7.0, 7.0, 7.0]
    assert np.isnan(history.quantity[0, 1])
    assert history.has_site


def test_long_history_is_summed_per_month_with_zeros_between(write_csv):
    path = write_csv(
        "part_id,site_id,date,quantity\n"
        "P1,A,2024-01-05,2\nP1,A,2024-01-20,1\nP1,A,2024-03-31,4\nP2,B,2024-02-10,1\n",
        "usage.csv",
    )
    history = read_history(path)
    assert history.period_start == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    assert history.period_days.tolist() == [31.0, 29.0, 31.0]  # 2024 is a leap year
    keys = history.keys.rows()
    assert keys == [("P1", "A"), ("P2", "B")]
    np.testing.assert_array_equal(history.quantity, [[3, 0, 4], [0, 1, 0]])


def test_long_history_by_week(write_csv):
    path = write_csv(
        "part_id,date,quantity\nP1,2024-01-01,2\nP1,2024-01-07,1\nP1,2024-01-08,5\n",
        "usage.csv",
    )
    history = read_history(path, PlanConfig(history_period="week"))
    assert history.period_days.tolist() == [7.0, 7.0]
    np.testing.assert_array_equal(history.quantity, [[3, 5]])


def test_bad_history_cells_are_all_reported(write_csv):
    path = write_csv(
        "part_id,date,quantity\nP1,2024-13-01,2\nP1,2024-01-07,-1\n,2024-01-08,x\n",
        "usage.csv",
    )
    with pytest.raises(InvalidInputError) as caught:
        read_history(path)
    text = [str(p) for p in caught.value.problems]
    assert any(
        t.startswith("usage.csv, row 2, column 'date'") and "'2024-13-01'" in t
        for t in text
    )
    assert any(
        t.startswith("usage.csv, row 3, column 'quantity'")
        and ">= 0 units, got '-1'" in t
        for t in text
    )
    assert any("row 4" in t and "quantity must be a number, got 'x'" in t for t in text)
    assert any("row 4" in t and "part_id must be given" in t for t in text)


def test_wide_history_rejects_unknown_headers(write_csv):
    path = write_csv("Part,Jan-98,Total\n1,2,2\n", "usage.csv")
    with pytest.raises(
        InvalidInputError, match=r"header 'Total' is neither an id column nor a period"
    ) as caught:
        read_history(path)
    assert len(caught.value.problems) == 1


def test_wide_history_rejects_duplicate_series(write_csv):
    path = write_csv("Part,Jan-98\n1,2\n1,3\n", "usage.csv")
    with pytest.raises(
        InvalidInputError, match=r"rows 2, 3 all hold the history of part '1'"
    ):
        read_history(path)


def test_slashed_dates_are_refused_not_guessed(write_csv):
    # 01/02/2024 is 2 January in the US and 1 February in Europe: refuse it.
    path = write_csv("part_id,date,quantity\nP1,01/02/2024,3\nP1,,1\n", "usage.csv")
    with pytest.raises(InvalidInputError) as caught:
        read_history(path)
    text = [str(p) for p in caught.value.problems]
    assert "row 2" in text[0] and "got '01/02/2024'" in text[0]
    assert "row 3" in text[1] and "date must be given (the cell is empty)" in text[1]


def test_european_dotted_dates_are_read(write_csv):
    path = write_csv("part_id,date,quantity\nP1,31.01.2024,3\n", "usage.csv")
    assert read_history(path).period_start == [date(2024, 1, 1)]


def test_history_over_decades_is_warned(write_csv):
    path = write_csv(
        "part_id,date,quantity\nP1,1990-01-05,3\nP1,2024-01-05,1\n", "usage.csv"
    )
    (warning,) = read_history(path).warnings
    assert "from 1990-01-05 to 2024-01-05" in str(warning)
