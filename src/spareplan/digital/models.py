"""The digital-part registry: revisions of a part's model files and their status.

A revision holds one or more files (CAD model, drawing), each stored in the
content-addressed folder (:mod:`spareplan.digital.files`) or referenced by URL,
with how the part is fabricated from it: material, process, lead time, cost and
preferred fabricator. Records are never overwritten: a changed model is a new
revision, and only the status moves, forward (draft -> verified -> obsolete).
A part has a digital model (``parts.has_digital_model``) while it has at least
one verified revision; the newest verified one (last registered) is the one
ordered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl
from sqlalchemy import Connection, Engine, exists, func, insert, select, update

from spareplan.digital.checks import parse_number, require_part, require_text
from spareplan.digital.errors import (
    DigitalValueError,
    ModelFileError,
)
from spareplan.digital.files import MAX_FILE_BYTES, check_stored_file, store_file
from spareplan.store.checks import utc_now
from spareplan.store.engine import read_transaction, rows_frame, write_transaction
from spareplan.store.errors import UnknownRecordError
from spareplan.store.schema import (
    DigitalModelFile,
    DigitalRevision,
    Part,
    PartSite,
)

__all__ = [
    "MODEL_STATUSES",
    "PROCESSES",
    "ModelSource",
    "RegisteredRevision",
    "RevisionSpec",
    "model_revisions",
    "parts_without_verified_model",
    "register_model",
    "set_revision_status",
]

logger = logging.getLogger(__name__)

MODEL_STATUSES = ("draft", "verified", "obsolete")
_NEXT_STATUSES = {"draft": ("verified", "obsolete"), "verified": ("obsolete",)}
PROCESSES = (
    "cnc_machining",
    "3d_printing",
    "casting",
    "sheet_metal",
    "laser_cutting",
    "waterjet_cutting",
    "injection_moulding",
    "welding",
    "other",
)
_PROCESS_ALIASES = {
    "cnc": "cnc_machining",
    "machining": "cnc_machining",
    "additive": "3d_printing",
    "additive_manufacturing": "3d_printing",
    "injection_molding": "injection_moulding",
}
_URL_SCHEMES = ("http", "https", "ftp", "sftp", "s3")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE_KINDS = {
    "cad": (".step", ".stp", ".iges", ".igs", ".stl", ".3mf", ".obj", ".sldprt",
            ".ipt", ".prt", ".x_t", ".f3d", ".fcstd", ".scad"),
    "drawing": (".pdf", ".dxf", ".dwg", ".svg", ".tif", ".tiff", ".png"),
    "program": (".nc", ".gcode", ".tap", ".mpf"),
}  # fmt: skip
QUADRANT_DIGITAL_ON_DEMAND = 3


@dataclass(frozen=True)
class ModelSource:
    """A model file to register: a local path, or a URL with its hash if known.

    A URL is recorded as text and never fetched.
    """

    location: str | Path
    sha256: str | None = None


@dataclass(frozen=True)
class RevisionSpec:
    """What a revision is and how the part is fabricated from it.

    Parameters
    ----------
    revision : str
        The revision label (``"A"``, ``"2"``, ``"2025-03"``); unique per part.
    status : str, default "draft"
        ``draft``, ``verified`` or ``obsolete``.
    material : str
        E.g. ``"PA12"``, ``"S355 steel"``.
    process : str
        One of :data:`PROCESSES` (spaces and hyphens read as ``_``).
    fabrication_lead_time_days : float
        Days from order to the part at the site, >= 0.
    fabrication_unit_cost : float
        Price of one fabricated unit, >= 0, in the plan's currency.
    fabricator : str, optional
        Preferred fabricator (workshop, service bureau, supplier id).
    """

    revision: str
    material: str
    process: str
    fabrication_lead_time_days: object
    fabrication_unit_cost: object
    status: str = "draft"
    fabricator: str | None = None


@dataclass(frozen=True)
class RegisteredRevision:
    """A registered revision and its files (``file_name, sha256, location``)."""

    revision_id: int
    part_id: str
    revision: str
    status: str
    files: tuple[tuple[str, str | None, str], ...]


def register_model(
    engine: Engine,
    part_id: str,
    sources: Sequence[ModelSource | str | Path],
    spec: RevisionSpec,
    *,
    user: str,
    model_store: Path,
    at: datetime | None = None,
) -> RegisteredRevision:
    """Register a new revision of a part's digital model, with its files.

    Everything is checked before anything is written; then local files are
    copied into the model store and the records inserted in one transaction. A
    verified revision marks ``parts.has_digital_model``.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store.
    part_id : str
        The part; it must be in the store.
    sources : sequence of ModelSource, str or Path
        One or more files or URLs (``"https://..."``, recorded, never fetched).
    spec : RevisionSpec
        Revision, status, material, process, lead time, cost, fabricator.
    user : str
        Who registers it.
    model_store : Path
        Root of the content-addressed folder (see :func:`model_store_root`).

    Returns
    -------
    RegisteredRevision

    Raises
    ------
    UnknownRecordError
        The part is not in the store.
    DigitalValueError
        A bad field (status, process, negative lead time or cost, bad URL or
        hash), or the revision is already registered for this part.
    ModelFileError
        A file is missing, not a file, unreadable or larger than 2 GiB.
    """
    context = f"part {part_id!r} revision {spec.revision!r}"
    values = _revision_values(part_id, spec, context)
    user = require_text(user, "user", context)
    checked = _checked_sources(sources, context)

    with write_transaction(engine) as connection:
        require_part(connection, part_id)
        _refuse_existing(connection, part_id, values["revision"], context)
        file_rows = [_file_row(model_store, source, context) for source in checked]
        now = at or utc_now()
        revision_id = connection.execute(
            insert(DigitalRevision)
            .values(**values, registered_at=now, registered_by=user)
            .returning(DigitalRevision.id)
        ).scalar_one()
        connection.execute(
            insert(DigitalModelFile),
            [{**row, "revision_id": revision_id} for row in file_rows],
        )
        _refresh_digital_flag(connection, part_id)
    logger.info(
        "registered %s (%s) with %d file(s)", context, values["status"], len(file_rows)
    )
    return RegisteredRevision(
        int(revision_id),
        part_id,
        values["revision"],
        values["status"],
        tuple(
            (row["file_name"], row["sha256"], row["stored_path"] or row["source_url"])
            for row in file_rows
        ),
    )


def _revision_values(part_id: str, spec: RevisionSpec, context: str) -> dict[str, Any]:
    """The revision's columns, checked."""
    revision = require_text(
        spec.revision, "revision", f"part {part_id!r}", max_length=50
    )
    status = _status(spec.status, context)
    process_key = re.sub(r"[\s\-]+", "_", str(spec.process).strip().lower())
    process = _PROCESS_ALIASES.get(process_key, process_key)
    if process not in PROCESSES:
        raise DigitalValueError(
            f"{context}: process must be one of {', '.join(PROCESSES)}, got "
            f"{spec.process!r}"
        )
    fabricator = None
    if spec.fabricator is not None and str(spec.fabricator).strip():
        fabricator = require_text(spec.fabricator, "fabricator", context)
    return {
        "part_id": part_id,
        "revision": revision,
        "status": status,
        "material": require_text(spec.material, "material", context),
        "process": process,
        "fabrication_lead_time_days": parse_number(
            spec.fabrication_lead_time_days, "fabrication_lead_time_days", context
        ),
        "fabrication_unit_cost": parse_number(
            spec.fabrication_unit_cost, "fabrication_unit_cost", context
        ),
        "fabricator": fabricator,
    }


def _status(value: object, context: str) -> str:
    status = str(value).strip().lower()
    if status not in MODEL_STATUSES:
        raise DigitalValueError(
            f"{context}: status must be one of {', '.join(MODEL_STATUSES)}, got "
            f"{value!r}"
        )
    return status


def _checked_sources(
    sources: Sequence[ModelSource | str | Path], context: str
) -> list[ModelSource]:
    """Sources as ModelSource; files exist; URLs and hashes well formed."""
    if isinstance(sources, str | Path | ModelSource) or not sources:
        raise DigitalValueError(
            f"{context}: sources must be a non-empty list of files or URLs, got "
            f"{sources!r}"
        )
    checked = []
    for source in sources:
        item = source if isinstance(source, ModelSource) else ModelSource(source)
        if _is_url(item.location):
            _check_url(str(item.location), item.sha256, context)
        else:
            _check_local_file(Path(item.location), item.sha256, context)
        checked.append(item)
    names = [_file_name(item.location) for item in checked]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise DigitalValueError(
            f"{context}: file names must differ within a revision, got "
            f"{', '.join(repr(name) for name in duplicated)} twice"
        )
    return checked


def _is_url(location: str | Path) -> bool:
    return isinstance(location, str) and "://" in location


def _check_url(url: str, sha256: str | None, context: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in _URL_SCHEMES or not parts.netloc:
        raise DigitalValueError(
            f"{context}: a model URL must start with "
            f"{', '.join(s + '://' for s in _URL_SCHEMES)} and name a host, got "
            f"{url!r}"
        )
    if sha256 is not None and not _SHA256.match(sha256.strip().lower()):
        raise DigitalValueError(
            f"{context}: sha256 of {url!r} must be 64 hexadecimal digits, got "
            f"{sha256!r}"
        )


def _check_local_file(path: Path, sha256: object, context: str) -> None:
    if sha256 is not None:
        raise DigitalValueError(
            f"{context}: sha256 is computed for a local file; give it only with a "
            f"URL, got {sha256!r} for {str(path)!r}"
        )
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise ModelFileError(f"{context}: model file {str(path)!r} {what}")
    size_bytes = path.stat().st_size
    if size_bytes > MAX_FILE_BYTES:
        raise ModelFileError(
            f"{context}: model file {str(path)!r} has {size_bytes:,} bytes; files "
            f"over {MAX_FILE_BYTES:,} bytes are registered by URL"
        )


def _file_name(location: str | Path) -> str:
    if _is_url(location):
        return Path(urlsplit(str(location)).path).name or str(location)
    return Path(location).name


def _file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    for kind, suffixes in _FILE_KINDS.items():
        if suffix in suffixes:
            return kind
    return "other"


def _file_row(model_store: Path, source: ModelSource, context: str) -> dict[str, Any]:
    """Store a local file (or keep a URL) and return its database row."""
    name = _file_name(source.location)
    row: dict[str, Any] = {
        "file_name": name[:300],
        "file_kind": _file_kind(name),
        "sha256": None,
        "size_bytes": None,
        "stored_path": None,
        "source_url": None,
    }
    if _is_url(source.location):
        row["source_url"] = str(source.location)
        row["sha256"] = source.sha256.strip().lower() if source.sha256 else None
        return row
    try:
        stored = store_file(model_store, Path(source.location))
    except ModelFileError as error:
        raise ModelFileError(f"{context}: {error}") from None
    row.update(
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        stored_path=stored.stored_path,
    )
    return row


def _refuse_existing(
    connection: Connection, part_id: str, revision: str, context: str
) -> None:
    status = connection.scalar(
        select(DigitalRevision.status).where(
            DigitalRevision.part_id == part_id, DigitalRevision.revision == revision
        )
    )
    if status is not None:
        raise DigitalValueError(
            f"{context}: revision {revision!r} is already registered (status "
            f"{status!r}); records are never overwritten, so a changed model is a "
            "new revision"
        )


def _refresh_digital_flag(connection: Connection, part_id: str) -> None:
    """``parts.has_digital_model`` = the part has a verified revision."""
    has_verified = exists().where(
        DigitalRevision.part_id == part_id, DigitalRevision.status == "verified"
    )
    connection.execute(
        update(Part)
        .where(Part.part_id == part_id)
        .values(has_digital_model=select(has_verified).scalar_subquery())
    )


def set_revision_status(
    engine: Engine,
    part_id: str,
    revision: str,
    status: str,
    *,
    model_store: Path | None = None,
    at: datetime | None = None,
) -> str:
    """Move a revision's status forward; return the status it had.

    ``draft`` may become ``verified`` or ``obsolete``; ``verified`` may become
    ``obsolete``; nothing goes back. Verifying re-checks the hashes of the
    stored files when ``model_store`` is given. ``parts.has_digital_model``
    follows.

    Raises
    ------
    UnknownRecordError
        The part has no such revision.
    DigitalValueError
        An unknown status or a backward move.
    ModelIntegrityError
        Verifying a revision whose stored file changed or is missing.
    """
    context = f"part {part_id!r} revision {revision!r}"
    new_status = _status(status, context)
    with write_transaction(engine) as connection:
        row = connection.execute(
            select(DigitalRevision.id, DigitalRevision.status).where(
                DigitalRevision.part_id == part_id,
                DigitalRevision.revision == revision,
            )
        ).first()
        if row is None:
            require_part(connection, part_id)
            raise UnknownRecordError(f"{context} is not registered")
        if new_status not in _NEXT_STATUSES.get(row.status, ()):
            raise DigitalValueError(
                f"{context}: status cannot move from {row.status!r} to "
                f"{new_status!r}; register a new revision instead"
            )
        if new_status == "verified" and model_store is not None:
            _check_revision_files(connection, row.id, model_store, context)
        connection.execute(
            update(DigitalRevision)
            .where(DigitalRevision.id == row.id)
            .values(status=new_status, status_changed_at=at or utc_now())
        )
        _refresh_digital_flag(connection, part_id)
    return str(row.status)


def _check_revision_files(
    connection: Connection, revision_id: int, model_store: Path, context: str
) -> None:
    files = connection.execute(
        select(
            DigitalModelFile.file_name,
            DigitalModelFile.stored_path,
            DigitalModelFile.sha256,
        ).where(
            DigitalModelFile.revision_id == revision_id,
            DigitalModelFile.stored_path.is_not(None),
        )
    ).all()
    for name, stored_path, sha256 in files:
        check_stored_file(
            model_store, str(stored_path), str(sha256), f"{context} file {name!r}"
        )


def model_revisions(engine: Engine, part_id: str | None = None) -> pl.DataFrame:
    """Registered model files, one row per file, newest revision first per part.

    Columns: ``part_id, revision, status, is_ordered_revision, material, process,
    fabrication_lead_time_days, fabrication_unit_cost, fabricator, file_name,
    file_kind, sha256, location, registered_at, registered_by``, where
    ``is_ordered_revision`` marks the newest verified revision (the one a
    fabrication order uses) and ``location`` is the stored path or the URL.
    """
    latest = latest_verified_query().subquery("latest")
    query = (
        select(
            DigitalRevision.part_id,
            DigitalRevision.revision,
            DigitalRevision.status,
            (latest.c.revision_id.is_not(None)).label("is_ordered_revision"),
            DigitalRevision.material,
            DigitalRevision.process,
            DigitalRevision.fabrication_lead_time_days,
            DigitalRevision.fabrication_unit_cost,
            DigitalRevision.fabricator,
            DigitalModelFile.file_name,
            DigitalModelFile.file_kind,
            DigitalModelFile.sha256,
            func.coalesce(
                DigitalModelFile.stored_path, DigitalModelFile.source_url
            ).label("location"),
            DigitalRevision.registered_at,
            DigitalRevision.registered_by,
        )
        .join(DigitalModelFile, DigitalModelFile.revision_id == DigitalRevision.id)
        .outerjoin(latest, latest.c.revision_id == DigitalRevision.id)
        .order_by(
            DigitalRevision.part_id, DigitalRevision.id.desc(), DigitalModelFile.id
        )
    )
    if part_id is not None:
        query = query.where(DigitalRevision.part_id == part_id)
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    return rows_frame(rows, _REVISION_SCHEMA)


_REVISION_SCHEMA: dict[str, Any] = {
    "part_id": pl.String,
    "revision": pl.String,
    "status": pl.String,
    "is_ordered_revision": pl.Boolean,
    "material": pl.String,
    "process": pl.String,
    "fabrication_lead_time_days": pl.Float64,
    "fabrication_unit_cost": pl.Float64,
    "fabricator": pl.String,
    "file_name": pl.String,
    "file_kind": pl.String,
    "sha256": pl.String,
    "location": pl.String,
    "registered_at": pl.Datetime(time_zone="UTC"),
    "registered_by": pl.String,
}


def latest_verified_query() -> Any:
    """``part_id, revision_id``: each part's newest verified revision."""
    return (
        select(
            DigitalRevision.part_id,
            func.max(DigitalRevision.id).label("revision_id"),
        )
        .where(DigitalRevision.status == "verified")
        .group_by(DigitalRevision.part_id)
    )


def parts_without_verified_model(engine: Engine) -> pl.DataFrame:
    """Quadrant-3 (digital on demand) part-sites with no verified model to order.

    The quadrant is the planner's override where there is one, else the plan's.

    Returns
    -------
    polars.DataFrame
        ``part_id, site_id, description, has_digital_model, n_revisions,
        latest_revision, latest_status``, by part and site. ``latest_*`` describe
        the newest revision registered (a draft awaiting verification, an
        obsolete one) or are empty when none is.
    """
    newest = (
        select(
            DigitalRevision.part_id,
            func.count().label("n_revisions"),
            func.max(DigitalRevision.id).label("revision_id"),
        )
        .group_by(DigitalRevision.part_id)
        .subquery("newest")
    )
    verified = latest_verified_query().subquery("verified")
    newest_revision = DigitalRevision.__table__.alias("newest_revision")
    quadrant = func.coalesce(PartSite.override_quadrant, PartSite.quadrant)
    query = (
        select(
            PartSite.part_id,
            PartSite.site_id,
            Part.description,
            Part.has_digital_model,
            func.coalesce(newest.c.n_revisions, 0).label("n_revisions"),
            newest_revision.c.revision.label("latest_revision"),
            newest_revision.c.status.label("latest_status"),
        )
        .join(Part, Part.part_id == PartSite.part_id)
        .outerjoin(newest, newest.c.part_id == PartSite.part_id)
        .outerjoin(newest_revision, newest_revision.c.id == newest.c.revision_id)
        .outerjoin(verified, verified.c.part_id == PartSite.part_id)
        .where(quadrant == QUADRANT_DIGITAL_ON_DEMAND, verified.c.revision_id.is_(None))
        .order_by(PartSite.part_id, PartSite.site_id)
    )
    with read_transaction(engine) as connection:
        rows = connection.execute(query).all()
    schema = {
        "part_id": pl.String,
        "site_id": pl.String,
        "description": pl.String,
        "has_digital_model": pl.Boolean,
        "n_revisions": pl.Int64,
        "latest_revision": pl.String,
        "latest_status": pl.String,
    }
    return rows_frame(rows, schema)
