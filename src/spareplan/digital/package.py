"""Order packages: the model files, a JSON manifest and a one-line CSV.

A package is a folder ``FAB-000012/`` (or ``FAB-000012.zip``) holding
``models/<file name>`` for every stored file of the ordered revision,
``manifest.json`` (order, part, quantity, material, process, revision, hashes,
the needs it serves) and ``order.csv``, one header and one line a fabricator's
portal or a buyer can take. Files referenced by URL are listed with their URL
and recorded hash; they are never fetched.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spareplan.errors import OutputError

__all__ = ["CSV_COLUMNS", "PACKAGE_FORMATS", "OrderPackage", "write_package"]

PACKAGE_FORMATS = ("folder", "zip")
MODELS_FOLDER = "models"
CSV_COLUMNS = (
    "order",
    "requisition",
    "part_id",
    "site_id",
    "quantity_units",
    "material",
    "process",
    "revision",
    "sha256",
    "files",
    "fabricator",
    "order_date",
    "due_date",
    "unit_cost",
    "line_value",
)


@dataclass(frozen=True)
class OrderPackage:
    """What goes into one package.

    ``manifest`` is the JSON document; ``files`` maps each stored file's name in
    the package to its verified path in the model store.
    """

    name: str
    manifest: dict[str, Any]
    files: dict[str, Path]


def write_package(package: OrderPackage, folder: Path, package_format: str) -> Path:
    """Write ``package`` into ``folder`` as a folder or zip; return its path.

    Raises
    ------
    OutputError
        The package already exists (packages are never overwritten) or cannot
        be written.
    """
    target = folder / (
        f"{package.name}.zip" if package_format == "zip" else package.name
    )
    if target.exists():
        raise OutputError(
            f"order package {str(target)!r} already exists; packages are never "
            "overwritten"
        )
    documents = {
        "manifest.json": json.dumps(package.manifest, indent=2, ensure_ascii=False),
        "order.csv": order_csv(package.manifest),
    }
    try:
        if package_format == "zip":
            _write_zip(target, documents, package.files)
        else:
            _write_folder(target, documents, package.files)
    except OSError as error:
        raise OutputError(
            f"order package {str(target)!r} cannot be written: {error}"
        ) from None
    return target


def _write_folder(
    target: Path, documents: dict[str, str], files: dict[str, Path]
) -> None:
    (target / MODELS_FOLDER).mkdir(parents=True)
    for name, text in documents.items():
        (target / name).write_text(text, encoding="utf-8")
    for name, source in files.items():
        destination = target / MODELS_FOLDER / name
        shutil.copyfile(source, destination)


def _write_zip(target: Path, documents: dict[str, str], files: dict[str, Path]) -> None:
    with zipfile.ZipFile(target, "x", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in documents.items():
            archive.writestr(name, text)
        for name, source in files.items():
            archive.write(source, f"{MODELS_FOLDER}/{name}")


def order_csv(manifest: dict[str, Any]) -> str:
    """The package's CSV: a header and the order's one line."""
    files = manifest["files"]
    row = {
        "order": manifest["order"],
        "requisition": manifest["requisition"],
        "part_id": manifest["part_id"],
        "site_id": manifest["site_id"],
        "quantity_units": manifest["quantity_units"],
        "material": manifest["material"],
        "process": manifest["process"],
        "revision": manifest["revision"],
        "sha256": ";".join(f["sha256"] or "" for f in files),
        "files": ";".join(f["path"] or f["url"] for f in files),
        "fabricator": manifest["fabricator"] or "",
        "order_date": manifest["order_date"],
        "due_date": manifest["due_date"],
        "unit_cost": manifest["fabrication_unit_cost"],
        "line_value": manifest["line_value"],
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()
