"""The simulator's inputs checked and converted to whole-unit arrays and samplers.

Not part of the public API: :func:`spareplan.core.simulation.simulate_policies`
calls :func:`validate_simulation_inputs` and runs on the :class:`SimulationSetup` it
returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from spareplan.core.simulation_inputs import (
    MAX_LEVEL_UNITS,
    DemandPaths,
    FixedLeadTime,
    PolicyArrays,
    PolicyKind,
    RandomDemand,
    RandomLeadTime,
    check_count,
    check_demand_paths,
    check_emergency_lead_time,
    check_lead_time,
    check_policy,
    check_random_demand,
    check_whole,
    per_part_array,
)
from spareplan.core.simulation_sampling import DemandSampler, LeadTimeSampler
from spareplan.errors import InputError

__all__ = ["PIPELINE_MAX_UNITS", "SimulationSetup", "validate_simulation_inputs"]

IntArray = NDArray[np.int64]

#: The most one slot of the int32 ring buffer of orders in transit may hold.
PIPELINE_MAX_UNITS: Final = int(np.iinfo(np.int32).max)

# A trigger no inventory position reaches: a periodic part between reviews.
_NEVER: Final = np.iinfo(np.int64).min


@dataclass(frozen=True)
class SimulationSetup:
    """Validated inputs, as whole-unit int64 arrays and samplers."""

    kind: IntArray
    reorder_point_units: IntArray
    order_up_to_units: IntArray
    review_period_periods: IntArray
    emergency_lead_time_periods: IntArray
    initial_on_hand_units: IntArray
    demand_sampler: DemandSampler | None
    demand_paths: NDArray[np.generic] | None
    lead_time_sampler: LeadTimeSampler
    n_parts: int
    n_paths: int
    n_periods: int
    n_warmup_periods: int
    trace_parts: IntArray

    @property
    def ring_size(self) -> int:
        """Slots of the ring buffer: one more than the longest lead time."""
        longest = max(
            self.lead_time_sampler.max_periods,
            int(self.emergency_lead_time_periods.max(initial=0)),
        )
        return longest + 1

    @property
    def max_order_units(self) -> int:
        """Largest single order the int32 ring buffer can take without overflow."""
        # A slot receives at most one regular and one emergency order from each of
        # the ring_size - 1 periods before it.
        return PIPELINE_MAX_UNITS // (2 * self.ring_size)

    def trigger_units(self, period: int) -> IntArray:
        """The inventory position at or below which each part orders in ``period``."""
        # A min-max part with r = S at position S would order nothing: the trigger
        # min(r, S - 1) leaves it out, so every cell triggered orders >= 1 unit.
        base_trigger = np.where(
            self.kind == PolicyKind.MIN_MAX,
            np.minimum(self.reorder_point_units, self.order_up_to_units - 1),
            self.order_up_to_units - 1,
        )
        is_off_review = (self.kind == PolicyKind.PERIODIC_REVIEW) & (
            period % self.review_period_periods != 0
        )
        return np.where(is_off_review, _NEVER, base_trigger)


def validate_simulation_inputs(
    policy: PolicyArrays,
    demand: RandomDemand | DemandPaths,
    lead_time: RandomLeadTime | FixedLeadTime,
    *,
    n_periods: int,
    n_paths: int,
    n_warmup_periods: int,
    initial_on_hand_units: ArrayLike | None,
    emergency_lead_time_periods: ArrayLike | None,
    return_trace_parts: Sequence[int] | None,
    part_ids: Sequence[str] | None,
) -> SimulationSetup:
    """Check every input and convert it to the engine's whole-unit arrays."""
    n_periods = check_count("n_periods", n_periods, 1)
    n_paths = check_count("n_paths", n_paths, 1)
    n_warmup_periods = check_count("n_warmup_periods", n_warmup_periods, 0)
    n_parts = _count_parts(policy)
    if part_ids is not None and len(part_ids) != n_parts:
        raise InputError(
            f"`part_ids` must have one id per part ({n_parts}), got {len(part_ids)}"
        )

    kind, reorder_point, order_up_to, review_period = check_policy(
        policy, n_parts, part_ids
    )
    demand_sampler, demand_paths = _check_demand(
        demand, (n_parts, n_paths, n_warmup_periods + n_periods), part_ids
    )
    lead_mean, lead_sd = check_lead_time(lead_time, n_parts, part_ids)

    if initial_on_hand_units is None:
        initial_on_hand = order_up_to.copy()
    else:
        on_hand = per_part_array(
            "initial_on_hand_units", initial_on_hand_units, n_parts
        )
        check_whole("initial_on_hand_units", on_hand, 0.0, part_ids)
        if np.any(on_hand > MAX_LEVEL_UNITS):
            raise InputError(
                f"`initial_on_hand_units` must be <= {MAX_LEVEL_UNITS}, "
                f"got {on_hand.max().item()!r}"
            )
        initial_on_hand = on_hand.astype(np.int64)

    return SimulationSetup(
        kind=kind,
        reorder_point_units=reorder_point,
        order_up_to_units=order_up_to,
        review_period_periods=review_period,
        emergency_lead_time_periods=check_emergency_lead_time(
            emergency_lead_time_periods, n_parts, part_ids
        ),
        initial_on_hand_units=initial_on_hand,
        demand_sampler=demand_sampler,
        demand_paths=demand_paths,
        lead_time_sampler=LeadTimeSampler.from_moments(lead_mean, lead_sd),
        n_parts=n_parts,
        n_paths=n_paths,
        n_periods=n_periods,
        n_warmup_periods=n_warmup_periods,
        trace_parts=_check_trace_parts(return_trace_parts, n_parts),
    )


def _count_parts(policy: PolicyArrays) -> int:
    """Number of parts, from the policy's ``kind`` array (which must be 1-D)."""
    if not isinstance(policy, PolicyArrays):
        raise InputError(
            f"`policy` must be a PolicyArrays, got {type(policy).__name__}"
        )
    kind = np.asarray(policy.kind)
    if kind.ndim != 1:
        raise InputError(
            f"`policy.kind` must be 1-D with shape (n_parts,), got shape {kind.shape!r}"
        )
    return int(kind.shape[0])


def _check_demand(
    demand: RandomDemand | DemandPaths,
    expected_shape: tuple[int, int, int],
    part_ids: Sequence[str] | None,
) -> tuple[DemandSampler | None, NDArray[np.generic] | None]:
    """A sampler for random demand, or the checked array of explicit demand."""
    if isinstance(demand, DemandPaths):
        return None, check_demand_paths(demand, expected_shape)
    if isinstance(demand, RandomDemand):
        mean, variance = check_random_demand(demand, expected_shape[0], part_ids)
        return DemandSampler.from_moments(mean, variance, expected_shape[1]), None
    raise InputError(
        f"`demand` must be a RandomDemand or a DemandPaths, got {type(demand).__name__}"
    )


def _check_trace_parts(parts: Sequence[int] | None, n_parts: int) -> IntArray:
    """Indices of the traced parts, each in [0, n_parts)."""
    if parts is None:
        return np.zeros(0, dtype=np.int64)
    indices = np.asarray(parts)
    if indices.ndim != 1 or (indices.size and indices.dtype.kind not in "iu"):
        raise InputError(
            f"`return_trace_parts` must be a sequence of part indices, got {parts!r}"
        )
    is_bad = (indices < 0) | (indices >= n_parts)
    if np.any(is_bad):
        raise InputError(
            f"`return_trace_parts` must hold indices in [0, {n_parts - 1}], "
            f"got {indices[is_bad][0].item()!r}"
        )
    return indices.astype(np.int64)
