"""Shared fixtures: paths to the team's real data and small file writers."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CARPARTS = SHARED_DATA / "carparts.csv"
CARPARTS_CATALOGUE = SHARED_DATA / "carparts-catalogue.csv"


@pytest.fixture
def carparts() -> tuple[Path, Path]:
    """The real carparts history and its catalogue; skipped where not present."""
    if not (CARPARTS.is_file() and CARPARTS_CATALOGUE.is_file()):
        pytest.skip("../shared/data/carparts*.csv is not beside this checkout")
    return CARPARTS_CATALOGUE, CARPARTS


@pytest.fixture
def write_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text to a CSV file in a temporary folder and return its path."""

    def write(text: str, name: str = "catalogue.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
