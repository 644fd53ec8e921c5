"""The content-addressed folder of model files.

A file is kept under its SHA-256: ``ab/cd/abcd...`` (two levels of prefix
folders), read-only, and never overwritten: the same content registered twice is
stored once, and changed content has another name. The folder is, in order, the
``model_store`` argument (the CLI's ``--model-store``), ``$SPAREPLAN_MODEL_STORE``,
a ``spareplan-models`` folder beside the SQLite file, or ``./spareplan-models``
for a server database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from spareplan.digital.errors import ModelFileError, ModelIntegrityError

__all__ = [
    "MODEL_STORE_VARIABLE",
    "StoredFile",
    "check_stored_file",
    "file_sha256",
    "model_store_root",
    "store_file",
]

MODEL_STORE_VARIABLE = "SPAREPLAN_MODEL_STORE"
MODEL_STORE_FOLDER = "spareplan-models"
# Files stored on disk must fit the INTEGER size column of both databases.
MAX_FILE_BYTES = 2**31 - 1
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its hash, size and path relative to the store root."""

    sha256: str
    size_bytes: int
    stored_path: str


def model_store_root(database_url: str, model_store: str | Path | None = None) -> Path:
    """The folder model files are kept in (see the module docstring)."""
    chosen = model_store or os.environ.get(MODEL_STORE_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    ):
        return (
            Path(str(url.database)).expanduser().resolve().parent / MODEL_STORE_FOLDER
        )
    return Path.cwd() / MODEL_STORE_FOLDER


def relative_path(sha256: str) -> str:
    """``'abcd...'`` -> ``'ab/cd/abcd...'``."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def store_file(root: Path, source: Path) -> StoredFile:
    """Copy ``source`` into the store, hashing what is copied; keep what is there.

    The copy goes to a temporary file first and is renamed into place only when
    complete, so a crash leaves no half file under a hash name.

    Raises
    ------
    ModelFileError
        The store folder cannot be created or written.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        sha256, size_bytes, temporary = _copy_hashing(root, source)
    except OSError as error:
        raise ModelFileError(
            f"model file {str(source)!r} cannot be copied into the model store "
            f"{str(root)!r}: {error}"
        ) from None
    target = root / relative_path(sha256)
    try:
        if target.exists():
            temporary.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            # NOTE: link, not rename: it fails rather than replace a file that
            # another process stored under the same hash meanwhile.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, target)
            temporary.unlink()
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ModelFileError(
            f"model file {str(source)!r} cannot be stored at {str(target)!r}: {error}"
        ) from None
    return StoredFile(sha256, size_bytes, relative_path(sha256))


def _copy_hashing(root: Path, source: Path) -> tuple[str, int, Path]:
    digest = hashlib.sha256()
    size_bytes = 0
    handle, name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    with os.fdopen(handle, "wb") as target, source.open("rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            digest.update(chunk)
            target.write(chunk)
            size_bytes += len(chunk)
    return digest.hexdigest(), size_bytes, Path(name)


def check_stored_file(root: Path, stored_path: str, sha256: str, context: str) -> Path:
    """The stored file's path, after checking its content still has its hash.

    Raises
    ------
    ModelIntegrityError
        The file is gone, or its content changed since it was registered.
    """
    path = root / stored_path
    if not path.is_file():
        raise ModelIntegrityError(
            f"{context}: the stored file {str(path)!r} is missing from the model "
            "store; it cannot be ordered"
        )
    actual = file_sha256(path)
    if actual != sha256:
        raise ModelIntegrityError(
            f"{context}: the stored file {str(path)!r} changed after registration: "
            f"sha256 must be {sha256!r}, got {actual!r}; it cannot be ordered"
        )
    return path
