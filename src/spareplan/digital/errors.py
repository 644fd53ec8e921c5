"""Errors of the digital warehouse: bad values, missing or changed model files.

Each class subclasses :class:`~spareplan.errors.SpareplanError` and the fitting
built-in, so ``except ValueError`` still catches a bad value. An unknown part,
site or asset is the store's :class:`~spareplan.store.UnknownRecordError`
(a ``LookupError``).
"""

from __future__ import annotations

from spareplan.errors import DigitalError, DigitalValueError

__all__ = [
    "DigitalError",
    "DigitalValueError",
    "ModelFileError",
    "ModelIntegrityError",
]


class ModelFileError(DigitalValueError, OSError):
    """A model file to register is missing, unreadable or too large."""


class ModelIntegrityError(DigitalError, ValueError):
    """A stored model file is missing or no longer matches its recorded hash."""
