"""Planning configuration: documented defaults, optionally overridden by a TOML file.

A plan runs without any file. A TOML file may set any of the keys below; unknown keys
are an error, so a typo never silently falls back to a default::

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
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from spareplan.errors import ConfigError

__all__ = ["PlanConfig", "load_config"]

# NOTE: V/E/D is the vital-essential-desirable class used in MRO stores. Vital and
# essential parts stop or degrade production when missing, so both count as high.
DEFAULT_HIGH_CRITICALITY = ("high", "h", "v", "vital", "e", "essential", "4", "5")
DEFAULT_LOW_CRITICALITY = ("low", "l", "d", "desirable", "1", "2", "3")
HISTORY_PERIODS = ("day", "week", "month")


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
    source: str = field(default="defaults", compare=False)

    def __post_init__(self) -> None:
        _check_config(self)

    def criticality_map(self) -> dict[str, bool]:
        """Lower-cased criticality value -> True when it means high."""
        mapping = {value.strip().lower(): False for value in self.criticality_low}
        mapping.update({value.strip().lower(): True for value in self.criticality_high})
        return mapping


def _check_config(config: PlanConfig) -> None:
    where = f"configuration ({config.source})"
    if not 0 <= config.carrying_rate_per_year <= 1:
        raise ConfigError(
            f"{where}: carrying_rate_per_year must be a fraction between 0 and 1, "
            f"got {config.carrying_rate_per_year!r} (25 % is written 0.25)"
        )
    if config.long_lead_time_days <= 0:
        raise ConfigError(
            f"{where}: long_lead_time_days must be > 0, "
            f"got {config.long_lead_time_days!r}"
        )
    if config.order_cover_days <= 0:
        raise ConfigError(
            f"{where}: order_cover_days must be > 0, got {config.order_cover_days!r}"
        )
    bad_quadrants = [q for q in config.safety_stock_quadrants if q not in (1, 2, 3, 4)]
    if bad_quadrants:
        raise ConfigError(
            f"{where}: safety_stock_quadrants may hold only 1, 2, 3 and 4, "
            f"got {bad_quadrants!r}"
        )
    if config.history_period not in HISTORY_PERIODS:
        raise ConfigError(
            f"{where}: history_period must be one of {HISTORY_PERIODS!r}, "
            f"got {config.history_period!r}"
        )
    if not config.default_site_id.strip():
        raise ConfigError(f"{where}: default_site_id must not be empty")
    both = {v.strip().lower() for v in config.criticality_high} & {
        v.strip().lower() for v in config.criticality_low
    }
    if both:
        raise ConfigError(
            f"{where}: criticality values {sorted(both)!r} are listed as both "
            "high and low"
        )


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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"configuration file {str(path)!r} is not readable TOML: {error}"
        ) from None
    return config_from_mapping(raw, source=str(path))


def config_from_mapping(raw: Mapping[str, Any], source: str = "mapping") -> PlanConfig:
    """Build a configuration from a parsed TOML mapping, checking every key."""
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(PlanConfig) if f.name != "source"}
    for key, value in raw.items():
        if key == "criticality":
            values.update(_criticality_values(value, source))
        elif key in known and not key.startswith("criticality_"):
            values[key] = _coerce(key, value, known[key].type, source)
        else:
            allowed = sorted([*known, "criticality"])
            raise ConfigError(
                f"configuration ({source}): unknown key {key!r}; "
                f"expected one of {allowed}"
            )
    return replace(PlanConfig(), source=source, **values)


def _criticality_values(value: Any, source: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping) or set(value) - {"high", "low"}:
        raise ConfigError(
            f"configuration ({source}): [criticality] takes the lists 'high' and "
            f"'low', got {value!r}"
        )
    values = {}
    for level in ("high", "low"):
        if level in value:
            items = value[level]
            if not isinstance(items, list):
                raise ConfigError(
                    f"configuration ({source}): criticality.{level} must be a list "
                    f"of values, got {items!r}"
                )
            values[f"criticality_{level}"] = tuple(str(item) for item in items)
    return values


def _coerce(key: str, value: Any, annotation: Any, source: str) -> Any:
    text = str(annotation)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if text == "float" and is_number:
        return float(value)
    if text == "str" and isinstance(value, str):
        return value
    if (
        text.startswith("tuple[int")
        and isinstance(value, list)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return tuple(value)
    expected = {"float": "a number", "str": "a text"}.get(text, "a list of integers")
    raise ConfigError(
        f"configuration ({source}): {key} must be {expected}, got {value!r}"
    )
