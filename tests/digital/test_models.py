"""The registry of digital models: revisions, hashes, status and the part flag."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from spareplan.digital import (
    DigitalValueError,
    ModelFileError,
    ModelIntegrityError,
    ModelSource,
    RevisionSpec,
    model_revisions,
    model_store_root,
    parts_without_verified_model,
    register_model,
    set_revision_status,
)
from spareplan.store import UnknownRecordError
from spareplan.store.engine import read_transaction
from spareplan.store.schema import DigitalModelFile, DigitalRevision, Part

SPEC = RevisionSpec(
    revision="A",
    material="PA12",
    process="3D printing",
    fabrication_lead_time_days=5,
    fabrication_unit_cost=40,
    status="verified",
    fabricator="PrintShop",
)


def _flag(engine: Engine, part_id: str) -> bool:
    with read_transaction(engine) as connection:
        return bool(
            connection.scalar(
                select(Part.has_digital_model).where(Part.part_id == part_id)
            )
        )


def _n_records(engine: Engine) -> tuple[int, int]:
    with read_transaction(engine) as connection:
        return (
            int(
                connection.scalar(select(func.count()).select_from(DigitalRevision))
                or 0
            ),
            int(
                connection.scalar(select(func.count()).select_from(DigitalModelFile))
                or 0
            ),
        )


def test_a_verified_file_is_stored_by_hash_and_marks_the_part(
    engine: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    source = model_file("housing.step", "solid housing")
    registered = register_model(
        engine, "P-5", [source, model_file("housing.pdf", "drawing")], SPEC,
        user="ana", model_store=model_store,
    )  # fmt: skip
    sha256 = hashlib.sha256(b"solid housing").hexdigest()
    assert registered.files[0][:2] == ("housing.step", sha256)
    stored = model_store / sha256[:2] / sha256[2:4] / sha256
    assert stored.read_bytes() == b"solid housing"
    assert _flag(engine, "P-5")
    table = model_revisions(engine, "P-5")
    assert table.get_column("file_kind").to_list() == ["cad", "drawing"]
    assert table.get_column("process").unique().to_list() == ["3d_printing"]
    assert table.get_column("is_ordered_revision").all()


def test_a_url_is_recorded_with_its_hash_and_never_fetched(
    engine: Engine, model_store: Path
) -> None:
    url = "https://models.example.invalid/p5/housing.step"
    register_model(
        engine, "P-5", [ModelSource(url, "AB" * 32)],
        RevisionSpec("B", "steel", "cnc", 10, 90), user="ana", model_store=model_store,
    )  # fmt: skip
    row = model_revisions(engine, "P-5").row(0, named=True)
    assert row["location"] == url
    assert row["sha256"] == "ab" * 32
    assert row["process"] == "cnc_machining"
    assert not model_store.exists()
    assert not _flag(engine, "P-5")  # a draft is no digital model yet


def test_a_revision_is_never_overwritten(
    engine: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    register_model(
        engine, "P-5", [model_file("a.step")], SPEC, user="ana", model_store=model_store
    )
    with pytest.raises(
        DigitalValueError, match=r"part 'P-5' revision 'A'.*already registered"
    ):
        register_model(
            engine, "P-5", [model_file("a.step", "changed")], SPEC, user="ana",
            model_store=model_store,
        )  # fmt: skip
    assert _n_records(engine) == (1, 1)


@pytest.mark.parametrize(
    ("part_id", "change", "error", "message"),
    [
        ("P-9", {}, UnknownRecordError, r"part 'P-9' \(part_id\) is not in the store"),
        ("P-5", {"fabrication_lead_time_days": -3}, DigitalValueError,
         r"part 'P-5' revision 'A': fabrication_lead_time_days must be >= 0, got -3"),
        ("P-5", {"fabrication_unit_cost": "x"}, DigitalValueError,
         r"fabrication_unit_cost must be a number >= 0, got 'x'"),
        ("P-5", {"status": "approved"}, DigitalValueError,
         r"status must be one of draft, verified, obsolete, got 'approved'"),
        ("P-5", {"process": "knitting"}, DigitalValueError,
         r"process must be one of .* got 'knitting'"),
    ],
)  # fmt: skip
def test_bad_input_names_the_record_and_writes_nothing(
    engine: Engine, model_store: Path, model_file, part_id, change, error, message
) -> None:  # type: ignore[no-untyped-def]
    spec = RevisionSpec(**{**SPEC.__dict__, **change})
    with pytest.raises(error, match=message):
        register_model(
            engine, part_id, [model_file("a.step")], spec, user="ana",
            model_store=model_store,
        )  # fmt: skip
    assert _n_records(engine) == (0, 0)
    assert not model_store.exists()


def test_a_missing_file_or_bad_url_writes_nothing(
    engine: Engine, model_store: Path, model_file, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    present = model_file("a.step")
    missing = tmp_path / "gone.step"
    with pytest.raises(
        ModelFileError, match=r"model file '.*gone.step' does not exist"
    ):
        register_model(
            engine, "P-5", [present, missing], SPEC, user="ana", model_store=model_store
        )
    with pytest.raises(DigitalValueError, match=r"sha256 of .* 64 hexadecimal"):
        register_model(
            engine, "P-5", [ModelSource("https://x.invalid/a.step", "nothex")], SPEC,
            user="ana", model_store=model_store,
        )  # fmt: skip
    assert _n_records(engine) == (0, 0)
    assert not model_store.exists()


def test_status_only_moves_forward_and_the_flag_follows(
    engine: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    draft = RevisionSpec(**{**SPEC.__dict__, "status": "draft"})
    register_model(
        engine,
        "P-5",
        [model_file("a.step")],
        draft,
        user="ana",
        model_store=model_store,
    )
    assert not _flag(engine, "P-5")
    assert (
        set_revision_status(engine, "P-5", "A", "verified", model_store=model_store)
        == "draft"
    )
    assert _flag(engine, "P-5")
    with pytest.raises(
        DigitalValueError, match=r"cannot move from 'verified' to 'draft'"
    ):
        set_revision_status(engine, "P-5", "A", "draft")
    set_revision_status(engine, "P-5", "A", "obsolete")
    assert not _flag(engine, "P-5")
    with pytest.raises(
        UnknownRecordError, match=r"part 'P-5' revision 'Z' is not registered"
    ):
        set_revision_status(engine, "P-5", "Z", "verified")


def test_verifying_a_changed_file_is_refused(
    engine: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    draft = RevisionSpec(**{**SPEC.__dict__, "status": "draft"})
    registered = register_model(
        engine,
        "P-5",
        [model_file("a.step")],
        draft,
        user="ana",
        model_store=model_store,
    )
    stored = model_store / registered.files[0][2]
    stored.chmod(0o644)
    stored.write_text("tampered", encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match=r"changed after registration"):
        set_revision_status(engine, "P-5", "A", "verified", model_store=model_store)
    assert not _flag(engine, "P-5")


def test_quadrant_3_parts_without_a_verified_model_are_flagged(
    engine: Engine, model_store: Path, model_file
) -> None:  # type: ignore[no-untyped-def]
    before = parts_without_verified_model(engine)
    assert set(before.get_column("part_id")) == {"P-3", "P-5"}
    register_model(
        engine, "P-5", [model_file("a.step")], SPEC, user="ana", model_store=model_store
    )
    after = parts_without_verified_model(engine)
    assert after.get_column("part_id").to_list() == ["P-3"]
    # P-3 is flagged in the catalogue, but no verified model backs the flag.
    assert after.get_column("has_digital_model").to_list() == [True]


def test_model_store_defaults_beside_the_sqlite_file(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SPAREPLAN_MODEL_STORE", raising=False)
    url = f"sqlite:///{tmp_path / 'a' / 'store.db'}"
    assert model_store_root(url) == (tmp_path / "a").resolve() / "spareplan-models"
    assert model_store_root(url, tmp_path / "m") == tmp_path / "m"
    monkeypatch.setenv("SPAREPLAN_MODEL_STORE", str(tmp_path / "env"))
    assert model_store_root(url) == tmp_path / "env"


def test_reimporting_the_catalogue_keeps_a_registered_model(
    engine: Engine, files: dict[str, Path], model_store: Path, model_file
) -> None:
    """db import sets has_digital_model from the catalogue's column, but a verified
    revision in the registry keeps the flag where the catalogue says nothing."""
    from spareplan.store import import_catalogue

    register_model(
        engine, "P-5", [model_file("housing.step", "cad")], SPEC,
        user="ana", model_store=model_store,
    )  # fmt: skip
    assert _flag(engine, "P-5")
    import_catalogue(engine, files["catalogue"], user="planner")
    assert _flag(engine, "P-5")
