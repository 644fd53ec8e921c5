"""Plan 1,000,000 part-site rows from Parquet; compare with merely reading the file.

Run:  python benchmarks/bench_plan.py [--rows N] [--repeat K]

Each measurement runs in a fresh Python process, so its peak resident memory
(``ru_maxrss``) is its own. The ratio that matters is (read + validate + plan) /
(read with polars alone): the target is at most 3, with peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DATA = Path(__file__).resolve().parent / ".data"

_READ_ONLY = """
import json, resource, sys, time
import polars as pl
started = time.perf_counter()
table = pl.read_parquet(sys.argv[1])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rows": table.height, "peak_bytes": peak}))
"""

_PLAN = """
import json, resource, sys, time
from spareplan import plan_catalogue, read_catalogue, write_plan_table
started = time.perf_counter()
plan = plan_catalogue(read_catalogue(sys.argv[1]))
planned = time.perf_counter() - started
if len(sys.argv) > 2:
    write_plan_table(plan.table, sys.argv[2])
total = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": planned, "with_write": total,
                  "rows": plan.table.height, "peak_bytes": peak}))
"""


def make_catalogue(n_rows: int, path: Path, seed: int = 1) -> None:
    """A catalogue of ``n_rows`` part-sites with every column a planner fills in."""
    rng = np.random.default_rng(seed)
    n_sites = 50
    part = np.arange(n_rows) // n_sites
    lead_time = np.where(
        rng.random(n_rows) < 0.4,
        rng.integers(14, 121, n_rows),
        rng.integers(1, 8, n_rows),
    ).astype(float)
    usage = rng.gamma(0.3, 0.2, n_rows)
    table = pl.DataFrame(
        {
            "part_id": [f"P-{p:07d}" for p in part],
            "site_id": [f"SITE-{s:02d}" for s in np.arange(n_rows) % n_sites],
            "description": "spare part",
            "unit_cost": np.round(np.exp(rng.uniform(0.5, 9, n_rows)), 2),
            "criticality": rng.choice(["V", "E", "D"], n_rows, p=[0.15, 0.35, 0.5]),
            "lead_time_days": lead_time,
            "lead_time_days_max": lead_time * rng.uniform(1, 2, n_rows).round(1),
            "downtime_cost_per_hour": rng.choice([0.0, 50.0, 500.0, 5000.0], n_rows),
            "on_hand_units": rng.poisson(2, n_rows).astype(float),
            "on_order_units": np.zeros(n_rows),
            "supplier_id": [f"SUP-{s:03d}" for s in rng.integers(1, 200, n_rows)],
            "order_cost": np.where(rng.random(n_rows) < 0.5, np.nan, 40.0),
            "usage_per_day_avg": usage,
            "usage_per_day_max": usage * rng.uniform(1, 4, n_rows),
        }
    ).with_columns(pl.col("order_cost").fill_nan(None))
    table.write_parquet(path)


def _run(script: str, *args: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    source = DATA / f"catalogue-{args.rows}.parquet"
    if not source.exists():
        started = time.perf_counter()
        make_catalogue(args.rows, source)
        print(f"made {source.name} in {time.perf_counter() - started:.1f} s")
    target = DATA / "plan.parquet"

    read = [_run(_READ_ONLY, str(source)) for _ in range(args.repeat)]
    plan = [_run(_PLAN, str(source), str(target)) for _ in range(args.repeat)]
    best_read = min(r["seconds"] for r in read)
    best_plan = min(p["seconds"] for p in plan)
    best_write = min(p["with_write"] for p in plan)
    peak = max(p["peak_bytes"] for p in plan)
    print(f"rows                              {args.rows:>12,}")
    print(f"read Parquet with polars          {best_read:>10.3f} s")
    print(f"read + validate + plan            {best_plan:>10.3f} s")
    print(f"read + validate + plan + write    {best_write:>10.3f} s")
    print(
        f"ratio plan / read                 {best_plan / best_read:>10.2f} x"
        "  (target <= 3)"
    )
    print(f"ratio plan+write / read           {best_write / best_read:>10.2f} x")
    print(f"peak memory (plan + write)        {peak / 2**30:>10.2f} GiB (target < 2)")


if __name__ == "__main__":
    main()
