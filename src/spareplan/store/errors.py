"""Errors of the stock store: unknown records, bad ledger input, short stock.

Each class subclasses :class:`~spareplan.errors.SpareplanError` and the built-in a
generic handler expects (``LookupError`` for a missing record, ``ValueError`` for a
bad value), so ``except ValueError`` in a notebook still catches them.
"""

from __future__ import annotations

from spareplan.errors import SpareplanError

__all__ = [
    "InsufficientStockError",
    "LedgerValueError",
    "StoreError",
    "StoreNotReadyError",
    "UnknownRecordError",
]


class StoreError(SpareplanError):
    """Base class of the errors the stock store raises on purpose."""


class StoreNotReadyError(StoreError, RuntimeError):
    """The database cannot be reached or has not been initialised (``db init``)."""


class UnknownRecordError(StoreError, LookupError):
    """A part, site, part-site, supplier or requisition is not in the store."""


class LedgerValueError(StoreError, ValueError):
    """A ledger operation got a bad value (quantity, site, user, reference)."""


class InsufficientStockError(LedgerValueError):
    """A movement would take on-hand stock below zero."""
