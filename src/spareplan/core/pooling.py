r"""Pooled spares across sites: shared requirement, allocation and transfers.

Sites that stock the same (or an interchangeable) part and can ship it to each other
faster than a supplier can resupply it form a *pool*. This module holds the pure
arithmetic of such pools; reading files and forming the pools is done by
:mod:`spareplan.multisite`.

**Pooled requirement.** Demand over the lead time at independent sites adds in mean
and in variance, :math:`\mu_P = \sum_i \mu_i` and :math:`\sigma_P^2 = \sum_i
\sigma_i^2`, so a normal safety stock :math:`z \sigma_P` grows with the square root
of the number of identical sites rather than linearly (the square-root law, Maister
1976; Eppen 1979).

**Pool model.** Each pool holds a one-for-one base stock :math:`S_i` at each of its
sites. The units in resupply at site :math:`i`, :math:`X_i`, have mean
:math:`\mu_i = \lambda_i L_i / 365` (Palm 1938) and variance :math:`V_i` (Poisson,
or a moment-matched negative binomial where :math:`V_i > \mu_i`, as in
:mod:`spareplan.core.cost_model`). For the pool, :math:`X = \sum X_i` and
:math:`S = \sum S_i`. With complete pooling a demand anywhere finds a unit somewhere
with probability :math:`g = P(X \le S - 1)` (PASTA, Wolff 1982), and the pool has
:math:`B(S) = E[(X - S)^+]` waiting demands on average. *Approximations adopted*
(in the spirit of Axsäter 1990 and Wong et al. 2006, simplified to stay
vectorised):

- a demand at site :math:`i` is met from its own shelf with probability
  :math:`\ell_i = \min(P(X_i \le S_i - 1),\, g)`, and by a transfer with
  probability :math:`g - \ell_i`;
- a transfer comes from the nearest other site holding stock (shortest transfer
  time to :math:`i`; a site that cannot deliver within :math:`i`'s lead time is no
  donor) and the demand waits its transfer hours :math:`t_i`; without any donor
  it waits :math:`24 L_i` hours;
- a demand that no shelf can meet waits for resupply: the pool's backorders
  :math:`B(S)` are shared among the sites by demand, giving
  :math:`8760\,B(S)\,\lambda_i / \Lambda` hours a year (Little 1961), as the
  stand-alone cost model counts them; with ``stockout_wait="lead_time"`` each
  such demand waits the full :math:`24 L_i` hours instead;
- holding is charged on the pool's expected on-hand stock :math:`S - \mu + B(S)`
  at the unit-weighted holding cost :math:`\sum_i h_i S_i / S`.

The expected annual cost of an allocation is

.. math:: C = \bar h\,(S - \mu + B) + \sum_i \lambda_i (g - \ell_i)
   (c_i t_i + k_i) + \sum_i c_i\,W_i,

with :math:`c_i` the downtime cost per hour, :math:`k_i` the cost of the transfer
and :math:`W_i` the unmet-demand hours above. A pool of one site reduces exactly to
the backorder model of :func:`~spareplan.core.cost_model.cost_optimal_spares`.

**Allocation** is greedy marginal allocation (Sherbrooke 2004, ch. 2): starting from
no stock, add the one unit, at whichever site, that lowers :math:`C` most, and stop
when no unit lowers it. All pools of a chunk advance together, one unit per step.

**Transfers before purchases.** :func:`recommend_transfer` covers a shortage at one
site from the sites holding stock above their own reorder point, nearest first,
never taking a donor below its reorder point; what is left is bought.

**Modules.** Import the public names from here; they live in
:mod:`~spareplan.core.pooling_demand` (pooled requirement),
:mod:`~spareplan.core.pooling_inputs` (packing and checks),
:mod:`~spareplan.core.pooling_evaluate` (the cost of an allocation, by the model in
``_pooling_model``), :mod:`~spareplan.core.pooling_allocate` (the greedy search,
stepped by ``_pooling_search`` and ``_pooling_screen``),
:mod:`~spareplan.core.pooling_clusters` and :mod:`~spareplan.core.pooling_transfer`.

References
----------
Axsäter, S. (1990). Modelling emergency lateral transshipments in inventory
systems. *Management Science*, 36(11), 1329-1338.
Eppen, G. D. (1979). Effects of centralization on expected costs in a
multi-location newsboy problem. *Management Science*, 25(5), 498-501.
Maister, D. H. (1976). Centralisation of inventories and the "square root law".
*International Journal of Physical Distribution*, 6(3), 124-134.
Sherbrooke, C. C. (2004). *Optimal Inventory Modeling of Systems*, 2nd ed., Kluwer.
Wong, H., van Houtum, G. J., Cattrysse, D. & Van Oudheusden, D. (2006). Multi-item
spare parts systems with lateral transshipments and waiting time constraints.
*European Journal of Operational Research*, 171(3), 1071-1093.
"""

from spareplan.core._pooling_types import STOCKOUT_WAITS
from spareplan.core.pooling_allocate import allocate_pooled_stock
from spareplan.core.pooling_clusters import reachable_clusters
from spareplan.core.pooling_demand import normal_safety_stock, pooled_lead_time_demand
from spareplan.core.pooling_evaluate import (
    DEFAULT_CHUNK_POOLS,
    PoolAllocation,
    evaluate_allocation,
)
from spareplan.core.pooling_inputs import PoolInputs
from spareplan.core.pooling_transfer import TransferRecommendation, recommend_transfer

__all__ = [
    "DEFAULT_CHUNK_POOLS",
    "STOCKOUT_WAITS",
    "PoolAllocation",
    "PoolInputs",
    "TransferRecommendation",
    "allocate_pooled_stock",
    "evaluate_allocation",
    "normal_safety_stock",
    "pooled_lead_time_demand",
    "reachable_clusters",
    "recommend_transfer",
]
