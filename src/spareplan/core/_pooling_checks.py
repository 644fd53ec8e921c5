"""Input checks of the pooling modules, each raising a named InputError."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from spareplan.core._pooling_types import (
    STOCKOUT_WAITS,
    BoolArray,
    FloatArray,
    IntArray,
)
from spareplan.core._validation import as_float_array, plain
from spareplan.errors import InputError


def _nonnegative(name: str, values: ArrayLike) -> FloatArray:
    array = np.atleast_1d(as_float_array(name, values))
    is_bad = ~(np.isfinite(array) & (array >= 0.0))
    if np.any(is_bad):
        _raise_at(name, array, is_bad, "finite and >= 0")
    return array


def _raise_at(name: str, values: FloatArray, is_bad: BoolArray, expected: str) -> None:
    where = tuple(int(i) for i in np.argwhere(is_bad)[0])
    raise InputError(
        f"`{name}` must be {expected}, got {plain(values[where])!r} at index {where}"
    )


def _broadcast(name: str, values: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    array = as_float_array(name, values)
    try:
        return np.array(np.broadcast_to(array, shape), dtype=np.float64)
    except ValueError:
        raise InputError(
            f"`{name}` must broadcast to the shape of `site_index` {shape!r}, got "
            f"{array.shape!r}"
        ) from None


def _slot_array(
    name: str,
    values: ArrayLike,
    shape: tuple[int, ...],
    is_site: BoolArray,
    bound: str,
) -> FloatArray:
    array = _broadcast(name, values, shape)
    is_in_range = array > 0.0 if bound == "> 0" else array >= 0.0
    is_bad = is_site & ~(np.isfinite(array) & is_in_range)
    if np.any(is_bad):
        _raise_at(name, array, is_bad, f"finite and {bound}")
    return array


def _check_site_index(index: IntArray, n_sites: int) -> None:
    if index.ndim != 2:
        raise InputError(
            f"`site_index` must be 2-D (n_pools, n_slots), got shape {index.shape!r}"
        )
    is_bad = (index < -1) | (index >= n_sites)
    if np.any(is_bad):
        _raise_at(
            "site_index",
            index.astype(np.float64),
            is_bad,
            f"-1 (empty) or in [0, {n_sites})",
        )
    ordered = np.sort(index, axis=1)
    repeats = (ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)
    if np.any(repeats):
        pool = int(np.flatnonzero(repeats.any(axis=1))[0])
        raise InputError(f"`site_index` repeats a site within pool {pool}")


def _check_matrix(name: str, matrix: FloatArray, *, allow_inf: bool) -> None:
    is_ok = (matrix >= 0.0) & (np.isfinite(matrix) | (allow_inf and True))
    if not allow_inf:
        is_ok &= np.isfinite(matrix)
    off_diagonal = ~np.eye(matrix.shape[0], dtype=np.bool_)
    if np.any(~is_ok & off_diagonal):
        expected = ">= 0 or inf" if allow_inf else "finite and >= 0"
        _raise_at(name, matrix, ~is_ok & off_diagonal, expected)


def _check_choice(stockout_wait: str) -> None:
    if stockout_wait not in STOCKOUT_WAITS:
        raise InputError(
            f"`stockout_wait` must be one of {STOCKOUT_WAITS!r}, got {stockout_wait!r}"
        )
