"""Inputs of the inventory-policy simulator and the checks they go through.

The bundles here describe what :func:`spareplan.core.simulation.simulate_policies`
simulates: the policy of each part (:class:`PolicyArrays`), its demand (random,
:class:`RandomDemand`, or replayed, :class:`DemandPaths`) and its replenishment lead
time (random, :class:`RandomLeadTime`, or fixed, :class:`FixedLeadTime`). Every
quantity is in whole units and every time in periods of the simulation.

Each check raises :class:`spareplan.errors.InputError` naming the parameter, the
part (its id when ``part_ids`` is given, else its index), the value received and
the range expected.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.errors import InputError

__all__ = [
    "DemandPaths",
    "FixedLeadTime",
    "PolicyArrays",
    "PolicyKind",
    "RandomDemand",
    "RandomLeadTime",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Largest policy level accepted, units; keeps every sum of orders within int32.
MAX_LEVEL_UNITS: Final = 10**7


class PolicyKind(enum.IntEnum):
    """How a part is replenished; the values are those of ``PolicyArrays.kind``."""

    #: Continuous review min-max: when the inventory position is at or below the
    #: reorder point, order up to the order-up-to level.
    MIN_MAX = 0
    #: Periodic review (R, S): every ``review_period_periods``, order up to S.
    PERIODIC_REVIEW = 1
    #: One-for-one base stock (S - 1, S): reorder what was demanded.
    BASE_STOCK = 2


@dataclass(frozen=True)
class PolicyArrays:
    """The inventory policy of each part, one element per part.

    Parameters
    ----------
    kind : ndarray of int8, shape (n_parts,)
        A :class:`PolicyKind` value per part.
    reorder_point_units : ndarray of float, shape (n_parts,)
        Reorder point :math:`r`, units; used by ``MIN_MAX`` only. A fractional level
        acts as its whole part, since the inventory position is whole.
    order_up_to_units : ndarray of float, shape (n_parts,)
        Order-up-to level :math:`S` >= 0, units (<= 10**7); an order raises the
        inventory position to :math:`\\lfloor S \\rfloor`.
    review_period_periods : ndarray of int64, shape (n_parts,)
        Review period :math:`R` >= 1, periods; used by ``PERIODIC_REVIEW`` only.
    """

    kind: NDArray[np.int8]
    reorder_point_units: FloatArray
    order_up_to_units: FloatArray
    review_period_periods: IntArray


@dataclass(frozen=True)
class RandomDemand:
    """Random demand per part and period, drawn independently each period.

    The demand of a period is Poisson where the variance is at most the mean,
    negative binomial with the same mean and variance where it is larger, and
    zero where the mean is 0 (Axsäter 2015, Ch. 5, compound Poisson demand).

    Parameters
    ----------
    mean_units_per_period : ndarray of float, shape (n_parts,)
        Mean demand per period >= 0, units.
    variance_units2_per_period : ndarray of float, shape (n_parts,)
        Variance of the demand per period >= 0, units squared.
    """

    mean_units_per_period: FloatArray
    variance_units2_per_period: FloatArray


@dataclass(frozen=True)
class DemandPaths:
    """Explicit demand per part, path and period, e.g. real history to replay.

    Parameters
    ----------
    units : ndarray, shape (n_parts, n_paths, n_warmup_periods + n_periods)
        Whole units demanded >= 0 in each period.
    """

    units: NDArray[np.generic]


@dataclass(frozen=True)
class RandomLeadTime:
    """Random lead time per order: gamma by moments, rounded to whole periods.

    Each order draws its own lead time, so orders may cross. The draw is gamma with
    shape :math:`k = m^2/s^2` and scale :math:`\\theta = s^2/m`, rounded to the
    nearest whole period and kept between 1 and the gamma's :math:`1 - 10^{-6}`
    quantile, rounded up; a standard deviation of 0 gives the fixed lead time
    :math:`\\max(1, \\mathrm{round}(m))`.

    Parameters
    ----------
    mean_periods : ndarray of float, shape (n_parts,)
        Mean lead time :math:`m` > 0, periods.
    sd_periods : ndarray of float, shape (n_parts,)
        Standard deviation :math:`s` >= 0, periods.
    """

    mean_periods: FloatArray
    sd_periods: FloatArray


@dataclass(frozen=True)
class FixedLeadTime:
    """The same whole lead time for every order of a part (deterministic replay).

    Parameters
    ----------
    periods : ndarray of int64, shape (n_parts,)
        Lead time >= 1, whole periods.
    """

    periods: IntArray


def describe_part(index: int, part_ids: Sequence[str] | None) -> str:
    """The part as a message names it: its id where known, else its index."""
    if part_ids is not None:
        return f"part {part_ids[index]!r}"
    return f"part index {index}"


def per_part_array(name: str, values: ArrayLike, n_parts: int) -> FloatArray:
    """``values`` as a float array of shape (n_parts,) (a scalar is broadcast)."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"`{name}` must be numeric, got {values!r}") from error
    if array.ndim == 0:
        return np.full(n_parts, float(array))
    if array.shape != (n_parts,):
        raise InputError(
            f"`{name}` must have shape ({n_parts},), one value per part, "
            f"got shape {array.shape!r}"
        )
    return array


def check_each_part(
    name: str,
    values: FloatArray,
    is_bad: BoolArray,
    expected: str,
    part_ids: Sequence[str] | None,
) -> None:
    """Raise naming the first part whose value is flagged in ``is_bad``."""
    if np.any(is_bad):
        index = int(np.flatnonzero(is_bad)[0])
        raise InputError(
            f"{describe_part(index, part_ids)}: `{name}` must be {expected}, "
            f"got {values[index].item()!r}"
        )


def check_whole(
    name: str, values: FloatArray, minimum: float, part_ids: Sequence[str] | None
) -> None:
    """Check each value is a finite whole number >= ``minimum``."""
    is_bad = ~(np.isfinite(values) & (values >= minimum) & (values == np.round(values)))
    check_each_part(name, values, is_bad, f"a whole number >= {minimum:g}", part_ids)


def check_policy(
    policy: PolicyArrays, n_parts: int, part_ids: Sequence[str] | None
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Validate the policy; return kind, whole r, whole S and R as int64 arrays."""
    kind = per_part_array("policy.kind", policy.kind, n_parts)
    is_bad_kind = ~np.isin(kind, [int(member) for member in PolicyKind])
    check_each_part(
        "policy.kind", kind, is_bad_kind, "0, 1 or 2 (see PolicyKind)", part_ids
    )

    order_up_to = per_part_array(
        "policy.order_up_to_units", policy.order_up_to_units, n_parts
    )
    is_bad_level = ~(
        np.isfinite(order_up_to)
        & (order_up_to >= 0.0)
        & (order_up_to <= MAX_LEVEL_UNITS)
    )
    check_each_part(
        "policy.order_up_to_units",
        order_up_to,
        is_bad_level,
        f"finite and in [0, {MAX_LEVEL_UNITS}]",
        part_ids,
    )

    reorder_point = per_part_array(
        "policy.reorder_point_units", policy.reorder_point_units, n_parts
    )
    is_min_max = kind == PolicyKind.MIN_MAX
    is_bad_point = is_min_max & ~(
        np.isfinite(reorder_point) & (reorder_point >= -MAX_LEVEL_UNITS)
    )
    check_each_part(
        "policy.reorder_point_units",
        reorder_point,
        is_bad_point,
        f"finite and >= {-MAX_LEVEL_UNITS} for a min-max part",
        part_ids,
    )
    is_inverted = is_min_max & (order_up_to < reorder_point)
    check_each_part(
        "policy.order_up_to_units",
        order_up_to,
        is_inverted,
        "at least the part's `reorder_point_units` for a min-max part (kind 0)",
        part_ids,
    )

    review_period = per_part_array(
        "policy.review_period_periods", policy.review_period_periods, n_parts
    )
    is_periodic = kind == PolicyKind.PERIODIC_REVIEW
    is_bad_period = is_periodic & ~(
        np.isfinite(review_period)
        & (review_period >= 1.0)
        & (review_period == np.round(review_period))
    )
    check_each_part(
        "policy.review_period_periods",
        review_period,
        is_bad_period,
        "a whole number >= 1 for a periodic-review part (kind 1)",
        part_ids,
    )

    reorder_point = np.where(is_min_max, reorder_point, 0.0)
    review_period = np.where(is_periodic, review_period, 1.0)
    return (
        kind.astype(np.int64),
        np.floor(reorder_point).astype(np.int64),
        np.floor(order_up_to).astype(np.int64),
        review_period.astype(np.int64),
    )


def check_random_demand(
    demand: RandomDemand, n_parts: int, part_ids: Sequence[str] | None
) -> tuple[FloatArray, FloatArray]:
    """Validate random demand; return its mean and variance per period."""
    mean = per_part_array(
        "demand.mean_units_per_period", demand.mean_units_per_period, n_parts
    )
    variance = per_part_array(
        "demand.variance_units2_per_period",
        demand.variance_units2_per_period,
        n_parts,
    )
    for name, values in (
        ("demand.mean_units_per_period", mean),
        ("demand.variance_units2_per_period", variance),
    ):
        is_bad = ~(np.isfinite(values) & (values >= 0.0))
        check_each_part(name, values, is_bad, "finite and >= 0", part_ids)
    return mean, variance


def check_demand_paths(
    demand: DemandPaths, expected_shape: tuple[int, int, int]
) -> NDArray[np.generic]:
    """Validate explicit demand paths: the expected shape, whole units >= 0."""
    units = np.asarray(demand.units)
    if units.shape != expected_shape:
        raise InputError(
            "`demand.units` must have shape (n_parts, n_paths, n_warmup_periods + "
            f"n_periods) = {expected_shape!r}, got shape {units.shape!r}"
        )
    if units.dtype.kind not in "iuf":
        raise InputError(
            f"`demand.units` must be numeric, got an array of dtype {units.dtype}"
        )
    if units.size == 0:
        return units
    is_bad = ~((units >= 0) & (units <= MAX_LEVEL_UNITS))
    if units.dtype.kind == "f":
        is_bad |= ~np.isfinite(units) | (units != np.round(units))
    if np.any(is_bad):
        part, path, period = np.argwhere(is_bad)[0]
        raise InputError(
            f"`demand.units` must be whole numbers in [0, {MAX_LEVEL_UNITS}], got "
            f"{units[part, path, period].item()!r} for part index {part}, path "
            f"{path}, period {period}"
        )
    return units


def check_lead_time(
    lead_time: RandomLeadTime | FixedLeadTime,
    n_parts: int,
    part_ids: Sequence[str] | None,
) -> tuple[FloatArray, FloatArray]:
    """Validate the lead time; return its mean and standard deviation, periods."""
    if isinstance(lead_time, FixedLeadTime):
        periods = per_part_array("lead_time.periods", lead_time.periods, n_parts)
        check_whole("lead_time.periods", periods, 1.0, part_ids)
        return periods, np.zeros(n_parts)
    if not isinstance(lead_time, RandomLeadTime):
        raise InputError(
            "`lead_time` must be a RandomLeadTime or a FixedLeadTime, "
            f"got {type(lead_time).__name__}"
        )

    mean = per_part_array("lead_time.mean_periods", lead_time.mean_periods, n_parts)
    sd = per_part_array("lead_time.sd_periods", lead_time.sd_periods, n_parts)
    check_each_part(
        "lead_time.mean_periods",
        mean,
        ~(np.isfinite(mean) & (mean > 0.0)),
        "finite and > 0",
        part_ids,
    )
    check_each_part(
        "lead_time.sd_periods",
        sd,
        ~(np.isfinite(sd) & (sd >= 0.0)),
        "finite and >= 0",
        part_ids,
    )
    return mean, sd


def check_emergency_lead_time(
    values: ArrayLike | None, n_parts: int, part_ids: Sequence[str] | None
) -> IntArray:
    """Emergency lead time per part, whole periods rounded up; -1 where none."""
    if values is None:
        return np.full(n_parts, -1, dtype=np.int64)
    lead = per_part_array("emergency_lead_time_periods", values, n_parts)
    is_bad = ~np.isnan(lead) & ~(np.isfinite(lead) & (lead >= 0.0))
    check_each_part(
        "emergency_lead_time_periods",
        lead,
        is_bad,
        "finite and >= 0, or NaN for no emergency orders",
        part_ids,
    )
    return np.where(np.isnan(lead), -1, np.ceil(np.nan_to_num(lead))).astype(np.int64)


def check_optional_nonnegative(
    name: str,
    values: ArrayLike | None,
    n_parts: int,
    part_ids: Sequence[str] | None,
) -> FloatArray | None:
    """A per-part array of finite values >= 0, or None where not given."""
    if values is None:
        return None
    array = per_part_array(name, values, n_parts)
    is_bad = ~(np.isfinite(array) & (array >= 0.0))
    check_each_part(name, array, is_bad, "finite and >= 0", part_ids)
    return array


def check_count(name: str, value: object, minimum: int) -> int:
    """An integer >= ``minimum`` (booleans refused)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or value < minimum
    ):
        raise InputError(f"`{name}` must be an integer >= {minimum}, got {value!r}")
    return int(value)
