"""Benchmark the stock store: ledger throughput and replenishment at scale.

Prints one table:

- movements per second booked through the Python API by 4 writer processes at
  once (receipts and issues, each writer on its own part-site and all on one
  shared part-site), on a SQLite file and on PostgreSQL;
- import and ``replenish`` time over 100,000 part-sites.

PostgreSQL rows need a server at 127.0.0.1:5432 (user ``postgres``); the script
creates its own database and drops it afterwards, and skips PostgreSQL when
nothing answers. Run::

    .venv/bin/python benchmarks/bench_store.py
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from spareplan.store import (
    connect_store,
    import_catalogue,
    issue,
    receive,
    replenish,
    upgrade_store,
)

N_WRITERS = 4
N_MOVEMENTS_PER_WRITER = 250
N_PARTS = 50_000
SITES = ("PLANT-A", "PLANT-B")
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"


def _write_catalogue(path: Path, n_parts: int) -> Path:
    lines = [
        "part_id,site_id,unit_cost,criticality,lead_time_days,on_hand_units,"
        "supplier_id,usage_per_day_avg,downtime_cost_per_hour"
    ]
    for index in range(n_parts):
        criticality = "high" if index % 2 else "low"
        for site in SITES:
            lines.append(
                f"B-{index:07d},{site},{10 + index % 50},{criticality},"
                f"{30 if index % 3 else 5},{index % 4},SUP-{index % 20:02d},"
                f"{(index % 7) / 10},500"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _writer(url: str, part_id: str, n_movements: int, start: Any) -> None:
    engine = connect_store(url)
    receive(engine, part_id, "PLANT-A", 1, user="bench")  # warm the pool
    start.wait()
    for index in range(n_movements // 2):
        receive(engine, part_id, "PLANT-A", 2, user="bench", reference=f"R{index}")
        issue(engine, part_id, "PLANT-A", 1, user="bench", reference=f"I{index}")
    engine.dispose()


def _movements_per_second(url: str, shared: bool) -> float:
    parts = (
        ["B-0000000"] * N_WRITERS
        if shared
        else [f"B-{index:07d}" for index in range(N_WRITERS)]
    )
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(N_WRITERS + 1)
    workers = [
        context.Process(target=_writer, args=(url, part, N_MOVEMENTS_PER_WRITER, start))
        for part in parts
    ]
    for worker in workers:
        worker.start()
    # Timed from the moment every writer is connected and ready.
    start.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return N_WRITERS * N_MOVEMENTS_PER_WRITER / elapsed


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


@contextmanager
def _postgres_url() -> Iterator[str | None]:
    try:
        admin = psycopg.connect(
            f"{PG_SERVER} dbname=test", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError:
        yield None
        return
    name = f"spareplan_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _bench(label: str, url: str, catalogue: Path, rows: list[tuple[str, str]]) -> None:
    engine = connect_store(url)
    upgrade_store(engine)
    seconds = _timed(lambda: import_catalogue(engine, catalogue, user="bench"))
    rows.append((f"{label}: import {2 * N_PARTS:,} part-sites", f"{seconds:.2f} s"))
    result: list[object] = []
    seconds = _timed(lambda: result.append(replenish(engine, user="bench")))
    n_lines = result[0].n_lines  # type: ignore[attr-defined]
    rows.append(
        (
            f"{label}: replenish {2 * N_PARTS:,} part-sites ({n_lines:,} lines)",
            f"{seconds:.2f} s",
        )
    )
    for shared in (False, True):
        rate = _movements_per_second(url, shared)
        where = "one shared part-site" if shared else "own part-sites"
        rows.append(
            (f"{label}: movements/s, {N_WRITERS} writers, {where}", f"{rate:,.0f}")
        )
    engine.dispose()


def main() -> None:
    """Run every benchmark and print the table."""
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        catalogue = _write_catalogue(Path(folder) / "catalogue.csv", N_PARTS)
        _bench("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", catalogue, rows)
        with _postgres_url() as url:
            if url is None:
                rows.append(("PostgreSQL", "skipped: no server at 127.0.0.1:5432"))
            else:
                _bench("PostgreSQL", url, catalogue, rows)
    width = max(len(label) for label, _ in rows)
    print(f"{'benchmark':<{width}}  result")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
