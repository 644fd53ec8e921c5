"""Planning configuration: documented defaults, optionally overridden by a TOML file.

A plan runs without any file. A TOML file may set any key below; an unknown key is an
error, so a typo never silently falls back to a default::

    carrying_rate_per_year = 0.25   # fraction of unit cost per year (0-1)
    long_lead_time_days = 14        # lead time >= this many days counts as long
    currency = "EUR"                # label only; no conversion is done
    default_site_id = "SITE-1"      # site of every row when there is no site_id
    order_cover_days = 30           # order quantity rule when order_cost is unknown
    safety_stock_quadrants = [1, 2] # quadrants that hold safety stock
    history_period = "month"        # bucket for long-format usage history

    [criticality]                   # how each value maps to high or low
    high = ["high", "h", "v", "e", "4", "5"]
    low = ["low", "l", "d", "1", "2", "3"]

    [service_targets]               # target per criticality value (0-1)
    v = 0.99
    e = 0.95
    d = 0.90

    [demand]                        # demand-driven stock levels, see DemandConfig
    safety_stock_method = "demand_driven"
    service_measure = "cycle_service_level"
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from spareplan.errors import ConfigError
from spareplan.pool_settings import PoolSettings

__all__ = ["DemandConfig", "PlanConfig", "load_config"]

# NOTE: V/E/D is the vital-essential-desirable class used in MRO stores. Vital and
# essential parts stop or degrade production when missing, so both count as high.
DEFAULT_HIGH_CRITICALITY = ("high", "h", "v", "vital", "e", "essential", "4", "5")
DEFAULT_LOW_CRITICALITY = ("low", "l", "d", "desirable", "1", "2", "3")
DEFAULT_SERVICE_TARGETS = (
    ("v", 0.99),
    ("vital", 0.99),
    ("5", 0.99),
    ("e", 0.95),
    ("essential", 0.95),
    ("4", 0.95),
    ("d", 0.90),
    ("desirable", 0.90),
)
HISTORY_PERIODS = ("day", "week", "month")
SAFETY_STOCK_METHODS = ("demand_driven", "rule_of_thumb")
SERVICE_MEASURES = ("cycle_service_level", "fill_rate")
FORECAST_METHODS = ("auto", "ses", "moving_average", "croston", "sba", "tsb")
LEAD_TIME_DEMAND_CHOICES = (
    "auto",
    "normal",
    "poisson",
    "negative_binomial",
    "empirical",
)


@dataclass(frozen=True)
class DemandConfig:
    """Settings of demand-driven stock levels (the ``[demand]`` table).

    Parameters
    ----------
    safety_stock_method : {"demand_driven", "rule_of_thumb"}
        ``demand_driven`` sets the reorder point from the lead-time demand
        distribution and a service target; ``rule_of_thumb`` keeps the shop-floor
        safety stock.
    service_measure : {"cycle_service_level", "fill_rate"}
        What the service target means: the probability of no stockout in a
        replenishment cycle, or the fraction of demand met from the shelf.
    service_target_high, service_target_low : float
        Targets (0-1) for criticality values without their own entry in
        ``[service_targets]``.
    adi_cutoff, cv2_cutoff : float
        Syntetos-Boylan cut-offs (1.32 and 0.49).
    min_history_periods : int
        Fewer recorded periods than this is ``too_short`` to classify.
    forecast_method : {"auto", "ses", "moving_average", "croston", "sba", "tsb"}
        ``auto`` uses simple exponential smoothing for smooth and erratic demand
        and SBA for intermittent and lumpy demand.
    alpha_size, alpha_interval : float
        Smoothing constants in (0, 1]: SES and the demand size of Croston, SBA and
        TSB; the interval of Croston and SBA and the demand probability of TSB.
    moving_average_periods : int
        Window of the moving average.
    lead_time_demand_method : {"auto", "normal", "poisson", "negative_binomial", \
"empirical"}
        ``auto`` lets the router choose per part from its class and volume.
    normal_min_mean_units : float
        Smallest lead-time demand the router models as normal.
    lead_time_max_sigmas : float
        How many standard deviations ``lead_time_days_max`` lies above the average
        lead time, when no ``lead_time_days_sd`` column is given.
    bootstrap_samples : int
        Resampled lead-time demands per part for the empirical method.
    random_seed : int
        Seed of the generator behind the bootstrap.
    decide_by_cost_model : bool
        Let the downtime cost model decide stock or JIT and raise reorder points
        to its cost-optimal units; ``false`` keeps the exposure rule and the
        service targets alone (the cost model's figures are still reported).
    """

    safety_stock_method: str = "demand_driven"
    service_measure: str = "cycle_service_level"
    service_target_high: float = 0.95
    service_target_low: float = 0.90
    adi_cutoff: float = 1.32
    cv2_cutoff: float = 0.49
    min_history_periods: int = 6
    forecast_method: str = "auto"
    alpha_size: float = 0.1
    alpha_interval: float = 0.1
    moving_average_periods: int = 12
    lead_time_demand_method: str = "auto"
    normal_min_mean_units: float = 10.0
    lead_time_max_sigmas: float = 2.0
    bootstrap_samples: int = 1000
    random_seed: int = 0
    decide_by_cost_model: bool = True


@dataclass(frozen=True)
class PlanConfig:
    """Settings of one planning run. Every field has a documented default.

    Parameters
    ----------
    carrying_rate_per_year : float, default 0.25
        Annual cost of holding one unit, as a fraction (0-1) of its unit cost:
        space, labour, insurance, capital and obsolescence.
    long_lead_time_days : float, default 14
        A lead time of at least this many days is long (quadrants 1 and 3).
    currency : str, default "EUR"
        Label printed beside money; spareplan never converts currencies.
    default_site_id : str, default "SITE-1"
        Site given to every catalogue row when the file has no ``site_id``.
    order_cover_days : float, default 30
        Without an ``order_cost`` the order quantity covers this many days of
        average usage (at least one unit).
    safety_stock_quadrants : tuple of int, default (1, 2)
        Quadrants whose strategy holds safety stock. Digital on-demand (3) and
        consolidated JIT (4) hold none unless listed here.
    history_period : {"day", "week", "month"}, default "month"
        Bucket into which long-format usage history is summed before daily rates
        are measured.
    criticality_high, criticality_low : tuple of str
        Criticality values (compared case-insensitively) meaning high or low.
    service_targets : tuple of (str, float)
        Service target per lower-cased criticality value; others get the
        ``demand`` table's high or low target.
    demand : DemandConfig
        Demand-driven stock levels.
    pooling : PoolSettings
        Pooling across sites (the ``[pooling]`` table), see
        :class:`spareplan.multisite.settings.PoolSettings`.
    """

    carrying_rate_per_year: float = 0.25
    long_lead_time_days: float = 14.0
    currency: str = "EUR"
    default_site_id: str = "SITE-1"
    order_cover_days: float = 30.0
    safety_stock_quadrants: tuple[int, ...] = (1, 2)
    history_period: str = "month"
    criticality_high: tuple[str, ...] = DEFAULT_HIGH_CRITICALITY
    criticality_low: tuple[str, ...] = DEFAULT_LOW_CRITICALITY
    service_targets: tuple[tuple[str, float], ...] = DEFAULT_SERVICE_TARGETS
    demand: DemandConfig = field(default_factory=DemandConfig)
    pooling: PoolSettings = field(default_factory=PoolSettings)
    source: str = field(default="defaults", compare=False)

    def __post_init__(self) -> None:
        _check_config(self)

    def criticality_map(self) -> dict[str, bool]:
        """Lower-cased criticality value -> True when it means high."""
        mapping = {value.strip().lower(): False for value in self.criticality_low}
        mapping.update({value.strip().lower(): True for value in self.criticality_high})
        return mapping

    def service_target_map(self) -> dict[str, float]:
        """Lower-cased criticality value -> service target (0-1)."""
        targets = {
            value: self.demand.service_target_high
            if is_high
            else self.demand.service_target_low
            for value, is_high in self.criticality_map().items()
        }
        targets.update(
            (key.strip().lower(), value) for key, value in self.service_targets
        )
        return targets


def _check_config(config: PlanConfig) -> None:
    """Raise one ConfigError listing every bad setting."""
    where = f"configuration ({config.source})"
    problems: list[str] = []
    _check_plan_settings(where, config, problems)
    _check_demand(where, config, problems)
    if problems:
        raise ConfigError("\n".join(problems))


def _check_plan_settings(where: str, config: PlanConfig, problems: list[str]) -> None:
    add = problems.append
    _check_range(
        where, "carrying_rate_per_year", config.carrying_rate_per_year, 0, 1, problems
    )
    _check_positive(where, "long_lead_time_days", config.long_lead_time_days, problems)
    _check_positive(where, "order_cover_days", config.order_cover_days, problems)
    bad_quadrants = [q for q in config.safety_stock_quadrants if q not in (1, 2, 3, 4)]
    if bad_quadrants:
        add(
            f"{where}: safety_stock_quadrants may hold only 1, 2, 3 and 4, "
            f"got {bad_quadrants!r}"
        )
    _check_choice(
        where, "history_period", config.history_period, HISTORY_PERIODS, problems
    )
    if not config.default_site_id.strip():
        add(f"{where}: default_site_id must not be empty")
    both = {v.strip().lower() for v in config.criticality_high} & {
        v.strip().lower() for v in config.criticality_low
    }
    if both:
        add(
            f"{where}: criticality values {sorted(both)!r} are listed as both "
            "high and low"
        )
    for key, target in config.service_targets:
        _check_target(where, f"service_targets.{key}", target, problems)


def _check_demand(where: str, config: PlanConfig, problems: list[str]) -> None:
    demand = config.demand
    _check_choice(
        where,
        "demand.safety_stock_method",
        demand.safety_stock_method,
        SAFETY_STOCK_METHODS,
        problems,
    )
    _check_choice(
        where,
        "demand.service_measure",
        demand.service_measure,
        SERVICE_MEASURES,
        problems,
    )
    _check_choice(
        where,
        "demand.forecast_method",
        demand.forecast_method,
        FORECAST_METHODS,
        problems,
    )
    _check_choice(
        where,
        "demand.lead_time_demand_method",
        demand.lead_time_demand_method,
        LEAD_TIME_DEMAND_CHOICES,
        problems,
    )
    _check_target(
        where, "demand.service_target_high", demand.service_target_high, problems
    )
    _check_target(
        where, "demand.service_target_low", demand.service_target_low, problems
    )
    for name in ("adi_cutoff", "cv2_cutoff", "normal_min_mean_units"):
        _check_positive(where, f"demand.{name}", getattr(demand, name), problems)
    _check_range(
        where,
        "demand.lead_time_max_sigmas",
        demand.lead_time_max_sigmas,
        0.5,
        6,
        problems,
    )
    for name in ("alpha_size", "alpha_interval"):
        value = getattr(demand, name)
        if not 0 < value <= 1:
            problems.append(f"{where}: demand.{name} must be in (0, 1], got {value!r}")
    for name in ("min_history_periods", "moving_average_periods", "bootstrap_samples"):
        _check_positive(where, f"demand.{name}", getattr(demand, name), problems)


def _check_positive(where: str, name: str, value: float, problems: list[str]) -> None:
    if not value > 0:
        problems.append(f"{where}: {name} must be > 0, got {value!r}")


def _check_range(
    where: str, name: str, value: float, low: float, high: float, problems: list[str]
) -> None:
    if not low <= value <= high:
        hint = " (25 % is written 0.25)" if high == 1 else ""
        problems.append(
            f"{where}: {name} must be between {low} and {high}, got {value!r}{hint}"
        )


def _check_target(where: str, name: str, value: float, problems: list[str]) -> None:
    if not 0 < value < 1:
        problems.append(
            f"{where}: {name} must be a fraction strictly between 0 and 1, "
            f"got {value!r} (95 % is written 0.95)"
        )


def _check_choice(
    where: str, name: str, value: str, choices: tuple[str, ...], problems: list[str]
) -> None:
    if value not in choices:
        problems.append(f"{where}: {name} must be one of {choices!r}, got {value!r}")


def load_config(path: str | Path | None = None) -> PlanConfig:
    """Read a TOML configuration file; ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        The file is missing, is not valid TOML, has an unknown key or a value of
        the wrong type or range.
    """
    if path is None:
        return PlanConfig()
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"configuration file {str(path)!r} is not readable TOML: {error}"
        ) from None
    return config_from_mapping(raw, source=str(path))


def config_from_mapping(raw: Mapping[str, Any], source: str = "mapping") -> PlanConfig:
    """Build a configuration from a parsed TOML mapping, checking every key."""
    where = f"configuration ({source})"
    tables: dict[str, Callable[[Any, str], dict[str, Any]]] = {
        "criticality": _criticality_values,
        "service_targets": _service_targets,
        "demand": _demand_values,
        "pooling": _pooling_values,
    }
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        try:
            if key in tables:
                values.update(tables[key](value, where))
            else:
                values[key] = _scalar(PlanConfig, key, value, where, prefix="")
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))
    return replace(PlanConfig(), source=source, **values)


def _scalar(cls: type, key: str, value: Any, where: str, prefix: str) -> Any:
    """Check one plain key of a dataclass and return its value in the right type."""
    known = {
        f.name: str(f.type)
        for f in fields(cls)
        if f.name not in ("source", "demand", "service_targets", "pooling")
        and not f.name.startswith("criticality_")
    }
    if key not in known:
        extra = (
            ["criticality", "service_targets", "demand", "pooling"]
            if not prefix
            else []
        )
        raise ConfigError(
            f"{where}: unknown key {prefix + key!r}; expected one of "
            f"{sorted([*known, *extra])}"
        )
    annotation = known[key]
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if annotation == "float" and (is_int or isinstance(value, float)):
        return float(value)
    if annotation == "int" and is_int:
        return value
    if annotation == "bool" and isinstance(value, bool):
        return value
    if annotation == "str" and isinstance(value, str):
        return value
    if (
        annotation.startswith("tuple[int")
        and isinstance(value, list)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return tuple(value)
    expected = {
        "float": "a number",
        "int": "a whole number",
        "str": "a text",
        "bool": "true or false",
    }.get(annotation, "a list of whole numbers")
    raise ConfigError(f"{where}: {prefix + key} must be {expected}, got {value!r}")


def _demand_values(value: Any, where: str) -> dict[str, DemandConfig]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [demand] must be a table, got {value!r}")
    settings, problems = {}, []
    for key, item in value.items():
        try:
            settings[key] = _scalar(DemandConfig, key, item, where, prefix="demand.")
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))
    return {"demand": DemandConfig(**settings)}


def _pooling_values(value: Any, where: str) -> dict[str, PoolSettings]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [pooling] must be a table, got {value!r}")
    settings, problems = {}, []
    for key, item in value.items():
        try:
            settings[key] = _scalar(PoolSettings, key, item, where, prefix="pooling.")
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))
    try:
        return {"pooling": PoolSettings(**settings)}
    except ConfigError as error:
        raise ConfigError(f"{where}: [pooling] {error}") from None


def _service_targets(
    value: Any, where: str
) -> dict[str, tuple[tuple[str, float], ...]]:
    if not isinstance(value, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    ):
        raise ConfigError(
            f"{where}: [service_targets] maps criticality values to fractions, "
            f"like v = 0.99; got {value!r}"
        )
    merged = dict(DEFAULT_SERVICE_TARGETS)
    merged.update((str(k).strip().lower(), float(v)) for k, v in value.items())
    return {"service_targets": tuple(merged.items())}


def _criticality_values(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping) or set(value) - {"high", "low"}:
        raise ConfigError(
            f"{where}: [criticality] takes the lists 'high' and 'low', got {value!r}"
        )
    values = {}
    for level in ("high", "low"):
        if level in value:
            items = value[level]
            if not isinstance(items, list):
                raise ConfigError(
                    f"{where}: criticality.{level} must be a list of values, "
                    f"got {items!r}"
                )
            values[f"criticality_{level}"] = tuple(str(item) for item in items)
    # Listing only one side moves those values; the other side keeps its defaults.
    defaults = {"high": DEFAULT_HIGH_CRITICALITY, "low": DEFAULT_LOW_CRITICALITY}
    if not values:
        return {f"criticality_{level}": items for level, items in defaults.items()}
    for level, other in (("high", "low"), ("low", "high")):
        if f"criticality_{level}" not in values:
            moved = {v.strip().lower() for v in values[f"criticality_{other}"]}
            values[f"criticality_{level}"] = tuple(
                v for v in defaults[level] if v not in moved
            )
    return values
