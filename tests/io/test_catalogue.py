from pathlib import Path

import polars as pl
import pytest

from spareplan.config import PlanConfig
from spareplan.errors import InvalidInputError, UnreadableFileError
from spareplan.io.catalogue import read_catalogue

HEADER = "part_id,site_id,unit_cost,criticality,lead_time_days,lead_time_days_max\n"


def _problems(path: Path, config: PlanConfig | None = None) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_catalogue(path, config)
    return [str(problem) for problem in caught.value.problems]


def test_headers_match_case_insensitively_and_ignore_spaces(write_csv):
    path = write_csv(
        " Part_ID , SITE_ID,Unit Cost,Criticality ,LEAD_TIME_DAYS\nP1,A,10,V,3\n"
    )
    catalogue = read_catalogue(path)
    row = catalogue.table.row(0, named=True)
    assert (row["part_id"], row["site_id"], row["unit_cost"]) == ("P1", "A", 10.0)
    assert row["lead_time_days_max"] == 3.0  # defaults to the average
    assert row["downtime_cost_per_hour"] is None  # unknown, not zero
    assert row["is_high_criticality"] is True


def test_missing_site_column_uses_configured_default_site(write_csv):
    path = write_csv("part_id,unit_cost,criticality,lead_time_days\nP1,10,low,3\n")
    config = PlanConfig(default_site_id="PLANT-X")
    assert read_catalogue(path, config).table["site_id"].to_list() == ["PLANT-X"]


@pytest.mark.parametrize(
    ("value", "is_high"),
    [
        ("high", True),
        ("LOW", False),
        ("V", True),
        ("e", True),
        ("D", False),
        ("5", True),
        ("4.0", True),
        ("3", False),
        ("1", False),
    ],
)
def test_default_criticality_mapping(write_csv, value, is_high):
    path = write_csv(HEADER + f"P1,A,10,{value},3,3\n")
    assert read_catalogue(path).table["is_high_criticality"].to_list() == [is_high]


def test_missing_required_column_is_named(write_csv):
    path = write_csv("part_id,site_id,criticality,lead_time_days\nP1,A,V,3\n")
    (problem,) = _problems(path)
    assert "catalogue.csv" in problem
    assert "required column 'unit_cost' is missing" in problem


def test_every_bad_cell_is_reported_with_row_column_part_site_and_value(write_csv):
    path = write_csv(
        HEADER
        + "P1,A,ten,V,3,3\n"  # row 2: text where a number belongs
        + "P2,A,-5,V,3,3\n"  # row 3: negative cost
        + "P3,A,10,V,8,4\n"  # row 4: maximum below average
        + "P4,A,10,urgent,3,3\n"  # row 5: unknown criticality
        + "P5,A,10,V,0,0\n"  # row 6: lead time not > 0
        + "P1,B,10,V,3,3\n"  # fine: same part at another site
        + "P6,A,10,V,3,3\n"
        + "P6,A,12,V,3,3\n"  # row 9: duplicate part and site
    )
    problems = _problems(path)
    expected = [
        "catalogue.csv, row 2, column 'unit_cost', part 'P1', site 'A': "
        "unit_cost must be a number, got 'ten'",
        "catalogue.csv, row 3, column 'unit_cost', part 'P2', site 'A': "
        "unit_cost must be >= 0, got -5.0",
        "catalogue.csv, row 4, column 'lead_time_days_max', part 'P3', site 'A': "
        "lead_time_days_max must be >= lead_time_days",
        "catalogue.csv, row 5, column 'criticality', part 'P4', site 'A': "
        "criticality must be one of",
        "catalogue.csv, row 6, column 'lead_time_days', part 'P5', site 'A': "
        "lead_time_days must be > 0 days, got 0.0",
        "catalogue.csv, row 9, column 'part_id', part 'P6', site 'A': "
        "duplicate part and site: rows 8, 9",
    ]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected):
        assert problem.startswith(start), problem
    assert "got 'urgent'" in problems[3]
    assert "got 8.0" not in problems[2] and "got 4.0" in problems[2]


def test_empty_required_cell_and_nan_text_are_problems(write_csv):
    path = write_csv(HEADER + "P1,A,,V,3,3\n" + "P2,A,nan,V,3,3\n" + ",A,1,V,3,3\n")
    problems = _problems(path)
    assert any("row 2" in p and "unit_cost must be given" in p for p in problems)
    assert any(
        "row 3" in p and "unit_cost must be a number, got 'nan'" in p for p in problems
    )
    assert any("row 4" in p and "part_id must be given" in p for p in problems)


def test_unreadable_and_empty_files_are_named(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(UnreadableFileError, match=r"empty\.csv: the file is empty"):
        read_catalogue(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER)
    with pytest.raises(
        UnreadableFileError, match=r"header\.csv: the file has a header but no rows"
    ):
        read_catalogue(header_only)
    with pytest.raises(UnreadableFileError, match=r"nope\.csv: no such file"):
        read_catalogue(tmp_path / "nope.csv")
    odd = tmp_path / "parts.json"
    odd.write_text("{}")
    with pytest.raises(UnreadableFileError, match=r"unknown file type '\.json'"):
        read_catalogue(odd)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(
        UnreadableFileError, match=r"broken\.xlsx: cannot be read as XLSX"
    ):
        read_catalogue(broken)


def test_blank_lines_are_skipped_and_rows_keep_their_numbers(write_csv):
    path = write_csv(HEADER + "P1,A,1,V,3,3\n\nP2,A,-1,V,3,3\n")
    (problem,) = _problems(path)
    assert problem.startswith("catalogue.csv, row 4, column 'unit_cost', part 'P2'")


def test_semicolon_separated_csv_from_european_excel(write_csv):
    path = write_csv(
        "part_id;site_id;unit_cost;criticality;lead_time_days\nP1;A;10;V;3\n"
    )
    assert read_catalogue(path).table["unit_cost"].to_list() == [10.0]


def test_excel_and_parquet_read_like_csv(tmp_path):
    frame = pl.DataFrame(
        {
            "Part_ID": ["P1", "P2"],
            "Site_ID": ["A", "A"],
            "Unit_Cost": [10.5, 3.0],
            "Criticality": ["V", "4"],
            "Lead_Time_Days": [3, 30],
        }
    )
    frame.write_excel(tmp_path / "parts.xlsx")
    frame.write_parquet(tmp_path / "parts.parquet")
    from_excel = read_catalogue(tmp_path / "parts.xlsx").table
    from_parquet = read_catalogue(tmp_path / "parts.parquet").table
    assert from_excel.drop("row").equals(from_parquet.drop("row"))
    assert from_excel["is_high_criticality"].to_list() == [True, True]


def test_excel_error_rows_are_the_rows_excel_shows(tmp_path):
    import xlsxwriter

    path = tmp_path / "parts.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["part_id", "unit_cost", "criticality", "lead_time_days"])
    sheet.write_row(1, 0, ["P1", 10, "V", 3])
    sheet.write_row(3, 0, ["P2", -1, "V", 3])  # row 4 in Excel; row 3 left blank
    workbook.close()
    problems = _problems(path)
    assert any(
        p.startswith("parts.xlsx, row 4, column 'unit_cost', part 'P2'")
        for p in problems
    )


def test_many_bad_rows_are_counted_not_all_listed(write_csv):
    rows = "".join(f"P{i},A,-1,V,3,3\n" for i in range(500))
    with pytest.raises(InvalidInputError) as caught:
        read_catalogue(write_csv(HEADER + rows))
    assert len(caught.value.problems) == 201
    message = str(caught.value)
    assert message.startswith("500 problems in the input:")
    assert (
        "catalogue.csv: ... and 300 more rows where unit_cost must be >= 0" in message
    )


def test_windows_1252_csv_is_read_not_mangled(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_bytes(
        "part_id,description,unit_cost,criticality,lead_time_days\n"
        "P1,Café filtre,10,V,3\n".encode("cp1252")
    )
    assert read_catalogue(path).table["description"].to_list() == ["Café filtre"]


def test_repeated_header_is_an_error(write_csv):
    path = write_csv(HEADER.strip() + ",unit_cost\nP1,A,5,V,3,3,6\n")
    (problem,) = _problems(path)
    assert "header 'unit_cost' appears more than once" in problem


def test_ragged_line_is_located(write_csv):
    path = write_csv(HEADER + "P1,A,5,V,3,3\nP2,A,5,V,3,3,9,9\n")
    with pytest.raises(
        UnreadableFileError, match="line 3 has 8 fields, the header has 6"
    ):
        read_catalogue(path)


def test_folder_given_as_catalogue(tmp_path):
    with pytest.raises(UnreadableFileError, match="is a folder, not a file"):
        read_catalogue(tmp_path)


def test_excel_cover_sheet_is_skipped(tmp_path):
    import xlsxwriter

    path = tmp_path / "parts.xlsx"
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet("Notes")
    sheet = workbook.add_worksheet("Catalogue")
    sheet.write_row(0, 0, ["part_id", "unit_cost", "criticality", "lead_time_days"])
    sheet.write_row(1, 0, ["P1", 10, "V", 3])
    workbook.close()
    assert read_catalogue(path).table["part_id"].to_list() == ["P1"]


def test_parquet_records_are_numbered_from_one(tmp_path):
    pl.DataFrame(
        {
            "part_id": ["P1"],
            "unit_cost": [-1.0],
            "criticality": ["V"],
            "lead_time_days": [3.0],
        }
    ).write_parquet(tmp_path / "parts.parquet")
    (problem,) = _problems(tmp_path / "parts.parquet")
    assert problem.startswith("parts.parquet, row 1, column 'unit_cost'")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('"12,5"', 12.5),
        ('"1,234.50"', 1234.5),
        ('"1.234,50"', 1234.5),
        ('"1,234,567"', 1234567.0),
        ('"1 234"', 1234.0),
        ("1e3", 1000.0),
    ],
)
def test_spreadsheet_number_formats_are_read(write_csv, cell, value):
    path = write_csv(HEADER + f"P1,A,{cell},V,3,3\n")
    assert read_catalogue(path).table["unit_cost"].to_list() == [value]


def test_ambiguous_thousands_or_decimal_comma_is_refused(write_csv):
    (problem,) = _problems(write_csv(HEADER + 'P1,A,"1,234",V,3,3\n'))
    assert "unit_cost must be a number, got '1,234'" in problem


def test_digital_model_flag_must_be_yes_or_no(write_csv):
    path = write_csv(
        "part_id,unit_cost,criticality,lead_time_days,has_digital_model\n"
        "P1,10,D,30,yes\nP2,10,D,30,maybe\n"
    )
    (problem,) = _problems(path)
    assert "row 3, column 'has_digital_model', part 'P2'" in problem
    assert "must be yes or no, got 'maybe'" in problem
