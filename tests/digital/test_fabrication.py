"""Fabrication orders: timing, revision safety, hash checks, packages, netting."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from digital_scenario import AS_OF, BRACKET_A, add_pump_plans, register_bracket
from sqlalchemy import Engine

from spareplan.digital import (
    FabricationSettings,
    ModelIntegrityError,
    RevisionSpec,
    fabricate,
    fabrication_orders,
    model_revisions,
    set_revision_status,
)
from spareplan.store import receive, requisition_lines


def _fabricate(engine: Engine, model_store: Path, out: Path, **settings):  # type: ignore[no-untyped-def]
    return fabricate(
        engine,
        user="ana",
        model_store=model_store,
        out_dir=out,
        as_of=settings.pop("as_of", AS_OF),
        settings=FabricationSettings(**settings),
    )


def test_an_order_package_holds_files_manifest_and_csv_line(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step", "solid A"))
    result = _fabricate(plant, model_store, tmp_path / "out")

    # Only the 7 Feb need is due for ordering on 1 Feb; 1 unit, late.
    assert result.orders.select(
        "order", "part_id", "quantity_units", "is_late"
    ).rows() == [("FAB-000001", "P-3", 1.0, True)]
    assert result.n_waiting == 1
    package = tmp_path / "out" / "FAB-000001"
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    sha256 = hashlib.sha256(b"solid A").hexdigest()
    assert manifest["revision"] == "A"
    assert manifest["material"] == "PA12"
    assert manifest["process"] == "3d_printing"
    assert manifest["due_date"] == "2025-02-07"
    assert manifest["files"][0]["sha256"] == sha256
    assert (package / "models" / "bracket.step").read_bytes() == b"solid A"
    with (package / "order.csv").open(encoding="utf-8") as stream:
        (line,) = list(csv.DictReader(stream))
    assert line["quantity_units"] == "1.0"
    assert line["sha256"] == sha256
    assert line["requisition"].startswith("REQ-")
    stored = fabrication_orders(plant)
    assert stored.select("order", "status", "order_date").rows() == [
        ("FAB-000001", "open", date(2025, 1, 21))
    ]


def test_running_again_orders_nothing_new_and_a_receipt_closes_the_order(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step"))
    first = _fabricate(plant, model_store, tmp_path / "out")
    again = _fabricate(plant, model_store, tmp_path / "out")
    assert first.orders.height == 1
    assert again.orders.height == 0
    requisition = first.orders.get_column("requisition")[0]
    receive(plant, "P-3", "PLANT-A", 1, user="ana", requisition=requisition)
    assert fabrication_orders(plant).get_column("status").to_list() == ["received"]
    assert requisition_lines(plant).height == 0


def test_stock_on_hand_is_used_before_anything_is_fabricated(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step"))
    receive(plant, "P-3", "PLANT-A", 1, user="ana")
    assert _fabricate(plant, model_store, tmp_path / "out").orders.height == 0
    # On 20 March the April need (2 units) is due for ordering; 1 was used.
    later = _fabricate(plant, model_store, tmp_path / "out", as_of=date(2025, 3, 20))
    assert later.orders.select("quantity_units", "due_date").rows() == [
        (2.0, date(2025, 4, 1))
    ]


def test_only_the_latest_verified_revision_is_ordered(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("a.step", "rev A"))
    register_bracket(
        plant, model_store, model_file("b.step", "rev B"),
        RevisionSpec("B", "PA12", "3d_printing", 10, 35, "verified"),
    )  # fmt: skip
    register_bracket(
        plant, model_store, model_file("c.step", "rev C draft"),
        RevisionSpec("C", "PA12", "3d_printing", 1, 35, "draft"),
    )  # fmt: skip
    result = _fabricate(plant, model_store, tmp_path / "out")
    assert result.orders.get_column("revision").to_list() == ["B"]
    assert (tmp_path / "out" / "FAB-000001" / "models" / "b.step").is_file()
    ordered = model_revisions(plant, "P-3").filter("is_ordered_revision")
    assert ordered.get_column("revision").to_list() == ["B"]


def test_drafts_and_obsolete_models_are_never_ordered(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    draft = RevisionSpec(**{**BRACKET_A.__dict__, "status": "draft"})
    register_bracket(plant, model_store, model_file("a.step"), draft)
    result = _fabricate(plant, model_store, tmp_path / "out")
    assert result.orders.height == 0
    assert result.n_without_model == 2
    set_revision_status(plant, "P-3", "A", "verified")
    set_revision_status(plant, "P-3", "A", "obsolete")
    assert _fabricate(plant, model_store, tmp_path / "out").orders.height == 0
    assert not any((tmp_path / "out").iterdir())


def test_a_model_file_changed_after_registration_is_refused(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step", "solid A"))
    (stored,) = [p for p in model_store.rglob("*") if p.is_file()]
    stored.chmod(0o644)
    stored.write_bytes(b"solid A, edited")
    with pytest.raises(
        ModelIntegrityError,
        match=r"part 'P-3' revision 'A' file 'bracket.step'.*changed after regis",
    ):
        _fabricate(plant, model_store, tmp_path / "out")
    assert fabrication_orders(plant).height == 0
    assert requisition_lines(plant).height == 0
    assert not any((tmp_path / "out").iterdir())


def test_zip_packages_and_bad_settings(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_pump_plans(plant)
    register_bracket(plant, model_store, model_file("bracket.step"))
    from spareplan.digital import DigitalValueError

    with pytest.raises(
        DigitalValueError, match=r"safety_margin_days must be .* got -2"
    ):
        _fabricate(plant, model_store, tmp_path / "out", safety_margin_days=-2)
    result = _fabricate(plant, model_store, tmp_path / "out", package_format="zip")
    with zipfile.ZipFile(result.orders.get_column("package_path")[0]) as archive:
        assert sorted(archive.namelist()) == [
            "manifest.json", "models/bracket.step", "order.csv"
        ]  # fmt: skip


def test_a_fabrication_request_from_replenish_becomes_an_order_with_a_package(
    plant: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # No maintenance plan: P-3 (quadrant 3) reaches its reorder point 0 with
    # nothing on hand, so replenish asks the workshop for 2 (up to 2). fabricate
    # turns that line into an order from revision A, due after its 10-day lead
    # time, with a package; a second run orders nothing more.
    from spareplan.store import replenish, set_override

    register_bracket(plant, model_store, model_file("bracket.step", "solid A"))
    set_override(plant, "P-3", "PLANT-A", user="ana", reorder_point=0, order_up_to=2)
    raised = replenish(plant, user="buyer")
    line = raised.lines.filter(pl.col("part_id") == "P-3").row(0, named=True)
    assert (line["line_type"], line["quantity_units"]) == ("fabrication", 2.0)

    result = _fabricate(plant, model_store, tmp_path / "out")
    order = result.orders.row(0, named=True)
    assert (order["part_id"], order["quantity_units"]) == ("P-3", 2.0)
    assert order["requisition"] == line["requisition"]
    assert order["due_date"] == date(2025, 2, 11)  # 1 Feb + 10 days
    manifest = json.loads(
        (tmp_path / "out" / order["order"] / "manifest.json").read_text("utf-8")
    )
    assert manifest["revision"] == "A"
    assert manifest["needs"][0]["plan_name"] == "replenish: reorder point reached"
    assert _fabricate(plant, model_store, tmp_path / "out").orders.height == 0
