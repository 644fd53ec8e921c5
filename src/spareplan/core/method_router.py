"""Choose a lead-time demand model per part from its demand class and volume.

Rules, applied to every part at once (codes from
:data:`spareplan.core.lead_time_demand.LEAD_TIME_DEMAND_METHODS`):

=====================  ===========================================================
demand class           lead-time demand model
=====================  ===========================================================
smooth, erratic        ``normal`` if the mean lead-time demand is at least
                       ``normal_min_mean_units`` (default 10), else as lumpy
intermittent           ``poisson``: sizes vary little, arrivals dominate
lumpy                  ``negative_binomial`` where variance > mean, else
                       ``poisson``
no_demand              ``poisson`` (with a zero mean this gives a reorder point 0)
too_short              ``poisson``: needs only a mean, which the caller may take
                       from a planner or a peer group when the history is short
=====================  ===========================================================

Why: the normal approximation is adequate for fast movers but puts mass below zero
and misjudges the tail of slow movers, for which Poisson and negative binomial
models are the usual choice (Silver, Pyke & Thomas 2017, Ch. 6; Syntetos, Babai &
Altay 2012 on fitting the negative binomial to lumpy demand). The empirical
bootstrap is never chosen automatically, as it needs a long history and draws at
random; force it per part where wanted.

References
----------
Silver, E. A., Pyke, D. F. & Thomas, D. J. (2017). *Inventory and Production
Management in Supply Chains*, 4th ed., CRC Press.
Syntetos, A. A., Babai, M. Z. & Altay, N. (2012). On the demand distributions of
spare parts. *International Journal of Production Research*, 50(8), 2101-2117.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._validation import as_float_array, plain
from spareplan.core.demand_class import (
    DEMAND_CLASSES,
    ERRATIC,
    INTERMITTENT,
    LUMPY,
    NO_DEMAND,
    SMOOTH,
    TOO_SHORT,
)
from spareplan.core.lead_time_demand import (
    LEAD_TIME_DEMAND_METHODS,
    NEGATIVE_BINOMIAL,
    NORMAL,
    POISSON,
)
from spareplan.errors import InputError

__all__ = [
    "NOT_FORCED",
    "RouterSettings",
    "method_codes_from_names",
    "route_lead_time_demand_method",
]

#: Value of ``forced_method_code`` that leaves a part to the rules.
NOT_FORCED: Final = -1


@dataclass(frozen=True)
class RouterSettings:
    """Thresholds of :func:`route_lead_time_demand_method`.

    Attributes
    ----------
    normal_min_mean_units : float, default 10.0
        Smallest mean lead-time demand, in units, for which a smooth or erratic
        part uses the normal model.
    """

    normal_min_mean_units: float = 10.0

    def __post_init__(self) -> None:
        value = self.normal_min_mean_units
        if not (np.isfinite(value) and value >= 0):
            raise InputError(
                f"`normal_min_mean_units` must be finite and >= 0, got {plain(value)!r}"
            )


def route_lead_time_demand_method(
    class_code: ArrayLike,
    mean_units: ArrayLike,
    variance_units: ArrayLike,
    *,
    forced_method_code: ArrayLike | None = None,
    settings: RouterSettings | None = None,
) -> NDArray[np.int8]:
    """Pick a lead-time demand model per part.

    Parameters
    ----------
    class_code : array_like of int, shape (n_parts,)
        Demand class codes from :func:`spareplan.core.demand_class.classify_demand`.
    mean_units, variance_units : array_like of float, shape (n_parts,)
        Lead-time demand mean and variance; ``NaN`` is allowed and never selects
        the normal or negative binomial model.
    forced_method_code : array_like of int, shape (n_parts,), optional
        A method code per part that overrides the rules, or :data:`NOT_FORCED`.
    settings : RouterSettings, optional
        Thresholds; defaults to ``RouterSettings()``.

    Returns
    -------
    ndarray of int8, shape (n_parts,)
        Index into ``LEAD_TIME_DEMAND_METHODS``.

    Raises
    ------
    InputError
        If a class or forced method code is unknown or the shapes disagree.

    Examples
    --------
    >>> codes = route_lead_time_demand_method(
    ...     [SMOOTH, SMOOTH, INTERMITTENT, LUMPY], [50.0, 2.0, 2.0, 2.0],
    ...     [60.0, 1.0, 5.0, 5.0],
    ... )
    >>> [LEAD_TIME_DEMAND_METHODS[code] for code in codes]
    ['normal', 'poisson', 'poisson', 'negative_binomial']
    """
    settings = settings or RouterSettings()
    classes = _check_codes("class_code", class_code, len(DEMAND_CLASSES))
    mean = as_float_array("mean_units", mean_units)
    variance = as_float_array("variance_units", variance_units)
    try:
        classes, mean, variance = np.broadcast_arrays(classes, mean, variance)
    except ValueError as error:
        raise InputError(
            "`class_code`, `mean_units` and `variance_units` must have one shape, "
            f"got {classes.shape}, {mean.shape} and {variance.shape}"
        ) from error

    is_overdispersed = variance > mean
    count_model = np.where(is_overdispersed, NEGATIVE_BINOMIAL, POISSON)
    is_fast = np.isin(classes, (SMOOTH, ERRATIC)) & (
        mean >= settings.normal_min_mean_units
    )
    method = np.where(is_fast, NORMAL, count_model)
    method = np.where(
        np.isin(classes, (INTERMITTENT, NO_DEMAND, TOO_SHORT)), POISSON, method
    )
    method = np.where(classes == LUMPY, count_model, method)

    if forced_method_code is not None:
        forced = _check_codes(
            "forced_method_code",
            forced_method_code,
            len(LEAD_TIME_DEMAND_METHODS),
            allow_not_forced=True,
        )
        method = np.where(forced != NOT_FORCED, forced, method)
    return np.atleast_1d(method).astype(np.int8)


def method_codes_from_names(names: Sequence[str | None]) -> NDArray[np.int8]:
    """Codes for method names; ``None`` or ``""`` gives :data:`NOT_FORCED`.

    Examples
    --------
    >>> method_codes_from_names(["normal", None, "empirical"]).tolist()
    [0, -1, 3]
    """
    codes = np.full(len(names), NOT_FORCED, dtype=np.int8)
    for position, name in enumerate(names):
        if not name:
            continue
        if name not in LEAD_TIME_DEMAND_METHODS:
            raise InputError(
                f"method name at position {position} must be one of "
                f"{LEAD_TIME_DEMAND_METHODS!r}, got {name!r}"
            )
        codes[position] = LEAD_TIME_DEMAND_METHODS.index(name)
    return codes


def _check_codes(
    name: str, values: ArrayLike, n_codes: int, *, allow_not_forced: bool = False
) -> NDArray[np.int64]:
    """Return integer codes after checking each is in 0..n_codes-1 (or -1)."""
    codes = np.asarray(values)
    lowest = NOT_FORCED if allow_not_forced else 0
    if codes.dtype.kind not in "iu":
        raise InputError(f"`{name}` must be integer codes, got dtype {codes.dtype}")
    is_bad = (codes < lowest) | (codes >= n_codes)
    if np.any(is_bad):
        raise InputError(
            f"`{name}` must be in {lowest}..{n_codes - 1}, "
            f"got {plain(codes[is_bad].flat[0])!r}"
        )
    return codes.astype(np.int64)
