"""A small hand-made catalogue of three plants sharing a few parts."""

from __future__ import annotations

from pathlib import Path

import pytest

CATALOGUE = """\
part_id,site_id,description,manufacturer,manufacturer_part_number,unit_cost,criticality,lead_time_days,downtime_cost_per_hour,on_hand_units,failures_per_year
P-1,NORTH,ball bearing,SKF,6205-2RS,40,high,60,30,2,0.5
P-1,SOUTH,ball bearing,SKF,6205-2RS,40,high,60,30,1,0.5
P-9,EAST,bearing ball,skf,6205 2rs,40,high,60,30,1,0.5
M-1,NORTH,gear motor 5.5 kW,SEW,R47DRN100,2400,high,90,400,1,0.2
M-7,SOUTH,Gear Motor 5.5 kW,SEW,,2400,high,90,400,1,0.2
S-1,NORTH,mechanical seal,John Crane,T21-35,300,high,30,200,1,0.4
S-2,EAST,mechanical seal,John Crane,T21-36,300,high,30,200,1,0.4
F-1,EAST,air filter,Donaldson,P181064,25,low,5,0,4,
"""


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """The catalogue file."""
    path = tmp_path / "catalogue.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path
