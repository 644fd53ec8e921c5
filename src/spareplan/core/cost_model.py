r"""The cost-optimal number of spares of each part-site under one-for-one resupply.

Each part-site holds a base stock of :math:`S` units and reorders every unit used at
once. With Poisson demand at :math:`\lambda` a year and a mean lead time of
:math:`L` years, the units in resupply :math:`X` are Poisson with mean
:math:`\mu = \lambda L` whatever the lead-time distribution (Palm 1938; Sherbrooke
2004). For lumpy parts whose lead-time demand variance exceeds its mean, a negative
binomial with that mean and variance stands in for :math:`X`, as Sherbrooke (2004)
does for variance-to-mean ratios above one.

The stock level minimises the expected annual cost

.. math:: C(S) = h\,E[\text{on hand}](S) + c_d\,T(S) + E_{\text{emerg}}(S),

with :math:`h` the holding cost per unit-year, :math:`c_d` the downtime cost per
hour, :math:`T(S)` the expected downtime hours a year and :math:`E_{\text{emerg}}`
the expected cost of emergency purchases a year. Two models set :math:`T`:

**Backorders** (no emergency option). A demand that finds no stock waits for its
regular unit, and each waiting demand is one stopped machine, so by Little's law
(Little 1961) :math:`T(S) = 8760\,B(S)` with expected backorders
:math:`B(S) = E[(X - S)^+]`; on hand is :math:`S - \mu + B(S)`. With
:math:`F(S) = P(X \le S)` and :math:`b = 8760\,c_d`, the step in cost is

.. math:: \Delta C(S) = C(S + 1) - C(S) = (h + b)\,F(S) - b,

non-decreasing in :math:`S`: the cost is discretely convex and the optimum is the
smallest :math:`S` with :math:`F(S) \ge b / (b + h)`, the critical ratio of the
newsvendor (Zipkin 2000; Axsäter 2015).

**Emergency purchases** (premium :math:`k` and emergency lead time :math:`L_e`
days given). A demand that finds no stock is met by an emergency purchase, which
costs :math:`k` and stops the machine for :math:`24 L_e` hours. By PASTA (Wolff
1982) a fraction :math:`P(X \ge S)` of demands find no stock, so
:math:`T(S) = 24 L_e\,\lambda P(X \ge S)` and
:math:`E_{\text{emerg}}(S) = k\,\lambda P(X \ge S)`.

*Approximation adopted*: every demand still triggers its regular reorder and the
regular unit, when it arrives, takes the place of the emergency unit rather than
adding to stock, so :math:`X` stays Poisson(:math:`\mu`) and on hand stays
:math:`E[(S - X)^+]` as in the backorder model. In the exact system in which the
emergency purchase replaces the regular reorder, the units in resupply follow a
Poisson truncated at :math:`S` and the fraction of demands finding no stock is
Erlang's loss formula :math:`p(S) / F(S)` (Axsäter 2015, on lost sales in
one-for-one systems; Moinzadeh & Schmidt 1991 treat a more general rule for
emergency orders). Since :math:`F(S) \ge p(S)`, :math:`P(X \ge S) \ge p(S)/F(S)`:
the approximation overstates the emergency purchases, and the two agree when
stockouts are rare. With :math:`c = \lambda (k + 24 L_e c_d)` the step in cost is

.. math:: \Delta C(S) = h\,F(S) - c\,p(S),

with :math:`p(S) = P(X = S)`. This cost is *not* convex in general (the second
term rises up to the mode of :math:`X`), but it is unimodal: :math:`\Delta C(S) < 0`
exactly when :math:`p(S) / F(S) > h / c`, and the reversed hazard rate
:math:`p(S)/F(S)` never rises for a log-concave or non-increasing pmf, which covers
every Poisson and negative binomial (Bagnoli & Bergstrom 2005). Either way the
first :math:`S` at which the cost stops falling is the global minimum.

**The search** walks :math:`S = 0, 1, 2, \dots` for all parts at once, updating the
pmf by the Panjer recursion :math:`p(S + 1) = p(S)\,(a + b' / (S + 1))` (Panjer
1981; Poisson :math:`a = 0, b' = \mu`; negative binomial :math:`(n, q)`:
:math:`a = 1 - q, b' = (n - 1)(1 - q)`) in logarithms so large means do not
underflow, the cdf by :math:`F(S) = F(S - 1) + p(S)` and on hand by
:math:`E[(S + 1 - X)^+] = E[(S - X)^+] + F(S)`, so backorders are
:math:`E[(S - X)^+] - S + \mu`, accurate to about 1e-15 units per unit of :math:`S`
and :math:`\mu`. A part stops at the first :math:`S` with :math:`\Delta C(S) \ge 0`
(ties keep the smaller stock) or at ``max_units``. Probabilities are resolved to
the precision of the cdf, so a part without holding cost, for which every unit
saves something, stops where one more unit's stockout probability falls below
about 1e-16.

References
----------
Axsäter, S. (2015). *Inventory Control*, 3rd ed., Springer.
Bagnoli, M. & Bergstrom, T. (2005). Log-concave probability and its applications.
*Economic Theory*, 26(2), 445-469.
Little, J. D. C. (1961). A proof for the queuing formula L = lambda W.
*Operations Research*, 9(3), 383-387.
Moinzadeh, K. & Schmidt, C. P. (1991). An (S-1, S) inventory system with emergency
orders. *Operations Research*, 39(2), 308-321.
Palm, C. (1938). Analysis of the Erlang traffic formulae for busy-signal
arrangements. *Ericsson Technics*, 4, 39-58.
Panjer, H. H. (1981). Recursive evaluation of a family of compound distributions.
*ASTIN Bulletin*, 12(1), 22-26.
Sherbrooke, C. C. (2004). *Optimal Inventory Modeling of Systems: Multi-Echelon
Techniques*, 2nd ed., Kluwer.
Wolff, R. W. (1982). Poisson arrivals see time averages. *Operations Research*,
30(2), 223-231.
Zipkin, P. H. (2000). *Foundations of Inventory Management*, McGraw-Hill.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core._validation import as_float_array, check_positive_int, plain
from spareplan.core.economics import HOURS_PER_DAY
from spareplan.errors import InputError

__all__ = [
    "DAYS_PER_YEAR",
    "DEFAULT_MAX_UNITS",
    "HOURS_PER_YEAR",
    "CostOptimalSpares",
    "cost_optimal_spares",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

DAYS_PER_YEAR: Final = 365.0
HOURS_PER_YEAR: Final = DAYS_PER_YEAR * HOURS_PER_DAY

#: Highest stock level the search tries unless told otherwise.
DEFAULT_MAX_UNITS: Final = 10_000

# Each input's bound on finite values, and whether NaN (not given) is allowed.
_ALLOWED_RANGES: Final = {
    "demand_per_year": (">= 0", False),
    "lead_time_days": ("> 0", False),
    "holding_cost_per_unit_year": (">= 0", False),
    "downtime_cost_per_hour": (">= 0", False),
    "emergency_premium": (">= 0", True),
    "emergency_lead_time_days": (">= 0", True),
    "lead_time_demand_variance": (">= 0", True),
}


@dataclass(frozen=True)
class CostOptimalSpares:
    """The cost-optimal stock of each part-site; every array has shape (n_parts,).

    Money is in the currency of the inputs, per year unless the name says otherwise.

    Attributes
    ----------
    cost_optimal_units : ndarray of int64
        Base stock :math:`S^*` that minimises the expected annual cost, units.
    expected_annual_cost : ndarray of float
        :math:`C(S^*)`, the sum of the next three fields.
    holding_cost_per_year, downtime_cost_per_year : ndarray of float
        Holding cost of the expected on-hand stock; downtime cost of the expected
        downtime hours.
    emergency_purchase_cost_per_year : ndarray of float
        Premiums paid for emergency purchases (0 without an emergency option).
    expected_downtime_hours_per_year : ndarray of float
        Machine-hours stopped a year waiting for a part.
    expected_on_hand_units : ndarray of float
        Time-average units on the shelf, :math:`E[(S^* - X)^+]`.
    expected_backorders : ndarray of float
        Time-average number of demands waiting for a part (stopped machines),
        the downtime hours a year over 8,760; :math:`E[(X - S^*)^+]` without an
        emergency option.
    fill_rate : ndarray of float
        Fraction of demands met from the shelf, :math:`P(X \\le S^* - 1)`.
    emergency_purchases_per_year : ndarray of float
        :math:`\\lambda P(X \\ge S^*)` with an emergency option, else 0.
    next_unit_breakeven_downtime_cost_per_hour : ndarray of float
        Downtime cost per hour at which unit :math:`S^* + 1` exactly pays for
        itself; above it the part should hold one more. ``inf`` where no downtime
        cost would justify another unit, 0 where the emergency premium alone does.
    last_unit_breakeven_downtime_cost_per_hour : ndarray of float
        The same for unit :math:`S^*` (0 where :math:`S^* = 0`), so :math:`S^*`
        stays optimal for downtime costs between this and the previous field.
    first_unit_breakeven_downtime_cost_per_hour : ndarray of float
        Downtime cost per hour above which holding one unit beats holding none: "a
        first spare pays for itself above X per hour of downtime".
    has_hit_max_units : ndarray of bool
        The search stopped at ``max_units`` while one more unit would still lower
        the cost; :math:`S^*` is then only the best level up to the cap.
    """

    cost_optimal_units: IntArray
    expected_annual_cost: FloatArray
    holding_cost_per_year: FloatArray
    downtime_cost_per_year: FloatArray
    emergency_purchase_cost_per_year: FloatArray
    expected_downtime_hours_per_year: FloatArray
    expected_on_hand_units: FloatArray
    expected_backorders: FloatArray
    fill_rate: FloatArray
    emergency_purchases_per_year: FloatArray
    next_unit_breakeven_downtime_cost_per_hour: FloatArray
    last_unit_breakeven_downtime_cost_per_hour: FloatArray
    first_unit_breakeven_downtime_cost_per_hour: FloatArray
    has_hit_max_units: BoolArray


def cost_optimal_spares(
    *,
    demand_per_year: ArrayLike,
    lead_time_days: ArrayLike,
    holding_cost_per_unit_year: ArrayLike,
    downtime_cost_per_hour: ArrayLike,
    emergency_premium: ArrayLike = np.nan,
    emergency_lead_time_days: ArrayLike = np.nan,
    lead_time_demand_variance: ArrayLike = np.nan,
    max_units: int = DEFAULT_MAX_UNITS,
) -> CostOptimalSpares:
    r"""Cost-optimal one-for-one base stock of many part-sites at once.

    Parameters
    ----------
    demand_per_year : array_like of float, shape (n_parts,) or scalar
        Demand rate :math:`\lambda` >= 0, units a year. For an insurance spare
        without history, its expected failures a year.
    lead_time_days : array_like of float
        Mean regular resupply lead time > 0, days (365 to the year).
    holding_cost_per_unit_year : array_like of float
        Cost :math:`h` >= 0 of keeping one unit on the shelf for a year.
    downtime_cost_per_hour : array_like of float
        Cost :math:`c_d` >= 0 of one stopped machine for one hour.
    emergency_premium : array_like of float, default NaN
        Extra cost :math:`k` >= 0 of one emergency purchase; NaN where the part has
        no emergency option (demands then wait for regular resupply).
    emergency_lead_time_days : array_like of float, default NaN
        Wait :math:`L_e` >= 0 for an emergency purchase, days; NaN exactly where
        ``emergency_premium`` is NaN.
    lead_time_demand_variance : array_like of float, default NaN
        Variance >= 0 of the units in resupply, units squared. Where it exceeds the
        mean :math:`\lambda L` the units in resupply are negative binomial; NaN, or
        a variance at or below the mean, keeps them Poisson.
    max_units : int, default 10,000
        Highest stock level tried, >= 1.

    Returns
    -------
    CostOptimalSpares
        One entry per part-site in every array.

    Raises
    ------
    InputError
        If an input is out of range (the message names the parameter, the first bad
        value, its index and the allowed range), the arrays do not broadcast to one
        dimension, or only one of the two emergency inputs is given for a part.

    Notes
    -----
    The model, the approximation for emergency purchases and the search are set out
    in the module docstring. The breakeven downtime cost of unit :math:`S + 1`
    solves :math:`\Delta C(S) = 0` for :math:`c_d`: writing
    :math:`\Delta C(S) = A(S) - c_d D(S)`, with :math:`D(S)` the downtime hours a
    year the unit saves, it is :math:`A(S) / D(S)`. Without an emergency option
    :math:`A = h F(S)` and :math:`D = 8760 (1 - F(S))`; with one
    :math:`A = h F(S) - \lambda k\,p(S)` and :math:`D = 24 L_e \lambda\,p(S)`.

    Examples
    --------
    An insurance spare failing 0.2 times a year, 30 days to replace, 2,000 a year
    to hold, 500 an hour of downtime. Without a spare it costs
    0.2 x 720 h x 500 = 72,000 a year; one spare is optimal, and a first spare pays
    for itself above :math:`h e^{-\mu} / (8760 (1 - e^{-\mu}))` = 13.78 an hour,
    with :math:`\mu = 0.2 \times 30 / 365`.

    >>> spares = cost_optimal_spares(
    ...     demand_per_year=0.2,
    ...     lead_time_days=30.0,
    ...     holding_cost_per_unit_year=2000.0,
    ...     downtime_cost_per_hour=500.0,
    ... )
    >>> spares.cost_optimal_units
    array([1])
    >>> round(float(spares.first_unit_breakeven_downtime_cost_per_hour[0]), 2)
    13.78
    """
    parts = _validated_parts(
        {
            "demand_per_year": demand_per_year,
            "lead_time_days": lead_time_days,
            "holding_cost_per_unit_year": holding_cost_per_unit_year,
            "downtime_cost_per_hour": downtime_cost_per_hour,
            "emergency_premium": emergency_premium,
            "emergency_lead_time_days": emergency_lead_time_days,
            "lead_time_demand_variance": lead_time_demand_variance,
        }
    )
    max_units = check_positive_int("max_units", max_units)

    stops = _search(parts, max_units)

    return _assemble(parts, stops)


@dataclass(frozen=True)
class _Parts:
    """Validated per-part inputs and the pmf recursion of their units in resupply.

    ``mass_ratio_constant`` and ``mass_ratio_slope`` are Panjer's :math:`a` and
    :math:`b'`; the emergency fields are 0 where ``has_emergency_option`` is False.
    """

    demand_per_year: FloatArray
    mean_units: FloatArray
    holding_cost_per_unit_year: FloatArray
    downtime_cost_per_hour: FloatArray
    emergency_premium: FloatArray
    emergency_lead_time_hours: FloatArray
    has_emergency_option: BoolArray
    log_mass_at_zero: FloatArray
    mass_ratio_constant: FloatArray
    mass_ratio_slope: FloatArray

    def take(self, index: IntArray | BoolArray) -> _Parts:
        """The parts at ``index``, every field subset alike."""
        return _Parts(
            **{field.name: getattr(self, field.name)[index] for field in fields(self)}
        )


def _validated_parts(named: dict[str, ArrayLike]) -> _Parts:
    """Check the inputs, broadcast them to shape (n_parts,) and set up the pmf."""
    arrays = _broadcast_to_parts(
        {name: as_float_array(name, values) for name, values in named.items()}
    )
    for name, (bound, is_nan_allowed) in _ALLOWED_RANGES.items():
        _check_range(name, arrays[name], bound, is_nan_allowed=is_nan_allowed)
    premium = arrays["emergency_premium"]
    emergency_lead_time_days = arrays["emergency_lead_time_days"]
    has_emergency_option = _check_emergency_pairs(premium, emergency_lead_time_days)

    demand = arrays["demand_per_year"]
    mean_units = demand * arrays["lead_time_days"] / DAYS_PER_YEAR
    log_mass_at_zero, constant, slope = _panjer_recursion(
        mean_units, arrays["lead_time_demand_variance"]
    )
    return _Parts(
        demand_per_year=demand,
        mean_units=mean_units,
        holding_cost_per_unit_year=arrays["holding_cost_per_unit_year"],
        downtime_cost_per_hour=arrays["downtime_cost_per_hour"],
        emergency_premium=np.where(has_emergency_option, premium, 0.0),
        emergency_lead_time_hours=np.where(
            has_emergency_option, emergency_lead_time_days * HOURS_PER_DAY, 0.0
        ),
        has_emergency_option=has_emergency_option,
        log_mass_at_zero=log_mass_at_zero,
        mass_ratio_constant=constant,
        mass_ratio_slope=slope,
    )


def _broadcast_to_parts(arrays: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Broadcast the named arrays to one common shape (n_parts,)."""
    for name, array in arrays.items():
        if array.ndim > 1:
            raise InputError(
                f"`{name}` must be a scalar or 1-D with shape (n_parts,), got an "
                f"array with shape {array.shape!r}"
            )
    try:
        broadcast = np.broadcast_arrays(*arrays.values())
    except ValueError as error:
        shapes = ", ".join(f"`{name}` {a.shape!r}" for name, a in arrays.items())
        raise InputError(f"inputs must share one length, got {shapes}") from error
    return {
        name: np.atleast_1d(array).copy()
        for name, array in zip(arrays, broadcast, strict=True)
    }


def _check_range(
    name: str, values: FloatArray, bound: str, *, is_nan_allowed: bool = False
) -> None:
    """Raise ``InputError`` at the first value neither finite and ``bound`` nor NaN."""
    is_in_range = values > 0.0 if bound == "> 0" else values >= 0.0
    is_bad = ~(np.isfinite(values) & is_in_range)
    if is_nan_allowed:
        is_bad &= ~np.isnan(values)
    if np.any(is_bad):
        index = int(np.flatnonzero(is_bad)[0])
        allowed = f"finite and {bound}" + (" or NaN" if is_nan_allowed else "")
        raise InputError(
            f"`{name}` must be {allowed}, got {plain(values[index])!r} at index {index}"
        )


def _check_emergency_pairs(
    premium: FloatArray, lead_time_days: FloatArray
) -> BoolArray:
    """Whether each part has an emergency option; both inputs or neither, per part."""
    has_premium = ~np.isnan(premium)
    is_unpaired = has_premium != ~np.isnan(lead_time_days)
    if np.any(is_unpaired):
        index = int(np.flatnonzero(is_unpaired)[0])
        raise InputError(
            "`emergency_premium` and `emergency_lead_time_days` must be both given "
            f"or both NaN, got {plain(premium[index])!r} and "
            f"{plain(lead_time_days[index])!r} at index {index}"
        )
    return has_premium


def _panjer_recursion(
    mean_units: FloatArray, variance_units: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Log pmf at 0 and Panjer's (a, b'): Poisson, or moment-matched neg. binomial."""
    is_negative_binomial = (variance_units > mean_units) & (mean_units > 0.0)
    # Negative binomial (n, q) with mean n(1 - q)/q and variance n(1 - q)/q^2; a
    # placeholder mean 1, variance 2 elsewhere keeps the arithmetic finite.
    mean = np.where(is_negative_binomial, mean_units, 1.0)
    variance = np.where(is_negative_binomial, variance_units, 2.0)
    failure_probability = (variance - mean) / variance
    size = mean**2 / (variance - mean)
    negative_binomial_log_mass_at_zero = size * np.log1p(-failure_probability)

    log_mass_at_zero = np.where(
        is_negative_binomial, negative_binomial_log_mass_at_zero, -mean_units
    )
    constant = np.where(is_negative_binomial, failure_probability, 0.0)
    slope = np.where(
        is_negative_binomial, (size - 1.0) * failure_probability, mean_units
    )
    return log_mass_at_zero, constant, slope


@dataclass(frozen=True)
class _Step:
    """The open parts' cdf at :math:`S`; the breakeven and cost step of unit S + 1."""

    cdf: FloatArray
    breakeven: FloatArray
    cost_change: FloatArray


@dataclass(frozen=True)
class _OpenParts:
    """Parts still searching, at level :math:`S`: their positions and running sums.

    ``log_mass`` is :math:`\\log p(S)`, ``cdf_below`` :math:`F(S - 1)` and
    ``on_hand`` :math:`E[(S - X)^+]`.
    """

    position: IntArray
    parts: _Parts
    log_mass: FloatArray
    cdf_below: FloatArray
    on_hand: FloatArray
    last_unit_breakeven: FloatArray

    @classmethod
    def start(cls, parts: _Parts) -> _OpenParts:
        """Every part at :math:`S = 0`."""
        zeros = np.zeros(parts.mean_units.size)
        position = np.arange(zeros.size)
        return cls(position, parts, parts.log_mass_at_zero, zeros, zeros, zeros)

    def advance(self, step: _Step, is_open: BoolArray, units: int) -> _OpenParts:
        """The parts still open, moved from :math:`S` = ``units`` to ``units + 1``."""
        parts = self.parts.take(is_open)
        mass_ratio = parts.mass_ratio_constant + parts.mass_ratio_slope / (units + 1.0)
        return _OpenParts(
            position=self.position[is_open],
            parts=parts,
            log_mass=self.log_mass[is_open] + np.log(mass_ratio),
            cdf_below=step.cdf[is_open],
            on_hand=(self.on_hand + step.cdf)[is_open],
            last_unit_breakeven=step.breakeven[is_open],
        )


def _step(open_parts: _OpenParts) -> _Step:
    """The cdf at :math:`S` and the cost step of unit :math:`S + 1`."""
    parts = open_parts.parts
    cdf = np.minimum(open_parts.cdf_below + np.exp(open_parts.log_mass), 1.0)
    # NOTE: the mass as the cdf resolves it, so that once the cdf has reached 1 a
    # further unit saves exactly nothing (rather than a mass below rounding error).
    mass = cdf - open_parts.cdf_below
    holding = parts.holding_cost_per_unit_year * cdf

    emergencies_saved = parts.demand_per_year * mass
    marginal_cost_without_downtime = np.where(
        parts.has_emergency_option,
        holding - parts.emergency_premium * emergencies_saved,
        holding,
    )
    downtime_hours_saved = np.where(
        parts.has_emergency_option,
        parts.emergency_lead_time_hours * emergencies_saved,
        HOURS_PER_YEAR * (1.0 - cdf),
    )
    cost_change = (
        marginal_cost_without_downtime
        - parts.downtime_cost_per_hour * downtime_hours_saved
    )
    breakeven = _breakeven(marginal_cost_without_downtime, downtime_hours_saved)
    return _Step(cdf, breakeven, cost_change)


@dataclass(frozen=True)
class _Stops:
    """Where each part stopped, with the running sums at its stock level."""

    units: IntArray
    cdf_below: FloatArray
    on_hand: FloatArray
    next_unit_breakeven: FloatArray
    last_unit_breakeven: FloatArray
    first_unit_breakeven: FloatArray
    has_hit_max_units: BoolArray

    @classmethod
    def empty(cls, n_parts: int) -> _Stops:
        """Arrays to be filled as parts stop."""
        dtypes = {"units": np.int64, "has_hit_max_units": np.bool_}
        return cls(
            **{
                field.name: np.zeros(n_parts, dtype=dtypes.get(field.name, np.float64))
                for field in fields(cls)
            }
        )

    def record(
        self, open_parts: _OpenParts, step: _Step, is_stopping: BoolArray, units: int
    ) -> None:
        """Write the stopping parts' state at :math:`S` = ``units``."""
        position = open_parts.position[is_stopping]
        self.units[position] = units
        self.cdf_below[position] = open_parts.cdf_below[is_stopping]
        self.on_hand[position] = open_parts.on_hand[is_stopping]
        self.next_unit_breakeven[position] = step.breakeven[is_stopping]
        self.last_unit_breakeven[position] = open_parts.last_unit_breakeven[is_stopping]
        self.has_hit_max_units[position] = step.cost_change[is_stopping] < 0.0


def _search(parts: _Parts, max_units: int) -> _Stops:
    """Walk :math:`S = 0, 1, \\dots` for all parts, each stopping at its optimum."""
    stops = _Stops.empty(parts.mean_units.size)
    open_parts = _OpenParts.start(parts)
    for units in range(max_units + 1):
        if open_parts.position.size == 0:
            break
        step = _step(open_parts)
        if units == 0:
            stops.first_unit_breakeven[:] = step.breakeven

        # The cost falls while the step is negative and, being unimodal, never
        # falls again once it has stopped falling.
        is_stopping = (step.cost_change >= 0.0) | (units == max_units)
        stops.record(open_parts, step, is_stopping, units)
        open_parts = open_parts.advance(step, ~is_stopping, units)
    return stops


def _breakeven(
    marginal_cost_without_downtime: FloatArray, downtime_hours_saved: FloatArray
) -> FloatArray:
    """Downtime cost per hour solving :math:`A - c_d D = 0`, clipped at 0."""
    has_saving = downtime_hours_saved > 0.0
    ratio = np.divide(
        marginal_cost_without_downtime,
        downtime_hours_saved,
        out=np.zeros_like(marginal_cost_without_downtime),
        where=has_saving,
    )
    never = np.where(marginal_cost_without_downtime >= 0.0, np.inf, 0.0)
    return np.where(has_saving, np.maximum(ratio, 0.0), never)


def _assemble(parts: _Parts, stops: _Stops) -> CostOptimalSpares:
    """Costs, downtime and service at each part's stock level."""
    stockout_fraction = 1.0 - stops.cdf_below
    backorders = np.maximum(stops.on_hand - stops.units + parts.mean_units, 0.0)
    emergency_purchases = np.where(
        parts.has_emergency_option, parts.demand_per_year * stockout_fraction, 0.0
    )
    downtime_hours = np.where(
        parts.has_emergency_option,
        emergency_purchases * parts.emergency_lead_time_hours,
        HOURS_PER_YEAR * backorders,
    )

    holding_cost = parts.holding_cost_per_unit_year * stops.on_hand
    downtime_cost = parts.downtime_cost_per_hour * downtime_hours
    emergency_cost = parts.emergency_premium * emergency_purchases
    return CostOptimalSpares(
        cost_optimal_units=stops.units,
        expected_annual_cost=holding_cost + downtime_cost + emergency_cost,
        holding_cost_per_year=holding_cost,
        downtime_cost_per_year=downtime_cost,
        emergency_purchase_cost_per_year=emergency_cost,
        expected_downtime_hours_per_year=downtime_hours,
        expected_on_hand_units=stops.on_hand,
        expected_backorders=downtime_hours / HOURS_PER_YEAR,
        fill_rate=stops.cdf_below,
        emergency_purchases_per_year=emergency_purchases,
        next_unit_breakeven_downtime_cost_per_hour=stops.next_unit_breakeven,
        last_unit_breakeven_downtime_cost_per_hour=stops.last_unit_breakeven,
        first_unit_breakeven_downtime_cost_per_hour=stops.first_unit_breakeven,
        has_hit_max_units=stops.has_hit_max_units,
    )
