"""Concurrent writers never lose or double a movement, nor go below zero."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from spareplan.store import (
    InsufficientStockError,
    connect_store,
    issue,
    on_hand_units,
    read_transaction,
    receive,
)
from spareplan.store.schema import StockMovement

WORKER = Path(__file__).with_name("workers.py")
N_WRITERS = 4
N_EACH = 15


def _n_movements(engine: Engine, kind: str) -> int:
    with read_transaction(engine) as connection:
        return int(
            connection.scalar(
                select(func.count()).where(
                    StockMovement.kind == kind, StockMovement.part_id == "P-1"
                )
            )
            or 0
        )


def test_threads_lose_and_double_no_movement(engine: Engine) -> None:
    def work(_: int) -> None:
        for _ in range(N_EACH):
            receive(engine, "P-1", "PLANT-A", 1, user="thread")
            issue(engine, "P-1", "PLANT-A", 1, user="thread")

    with ThreadPoolExecutor(N_WRITERS) as pool:
        list(pool.map(work, range(N_WRITERS)))

    assert _n_movements(engine, "receipt") == N_WRITERS * N_EACH
    assert _n_movements(engine, "issue") == N_WRITERS * N_EACH
    assert on_hand_units(engine, "P-1", "PLANT-A") == 5


def test_threads_racing_for_the_last_units_never_go_below_zero(
    engine: Engine,
) -> None:
    def take(_: int) -> bool:
        try:
            issue(engine, "P-1", "PLANT-A", 1, user="thread")
        except InsufficientStockError:
            return False
        return True

    with ThreadPoolExecutor(N_WRITERS) as pool:
        taken = list(pool.map(take, range(12)))

    assert sum(taken) == 5
    assert on_hand_units(engine, "P-1", "PLANT-A") == 0


def test_processes_lose_and_double_no_movement(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "movements", url, str(N_EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(N_WRITERS)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        assert out.strip() == "done"

    fresh = connect_store(url)
    assert _n_movements(fresh, "receipt") == N_WRITERS * N_EACH
    assert _n_movements(fresh, "issue") == N_WRITERS * N_EACH
    assert on_hand_units(fresh, "P-1", "PLANT-A") == 5
    fresh.dispose()


@pytest.mark.parametrize("direction", [0, 1])
def test_opposite_transfers_do_not_deadlock(engine: Engine, direction: int) -> None:
    from spareplan.store import transfer

    receive(engine, "P-1", "PLANT-B", 5, user="ana")
    sites = ["PLANT-A", "PLANT-B"]

    def move(index: int) -> None:
        source = sites[(index + direction) % 2]
        target = sites[(index + direction + 1) % 2]
        transfer(engine, "P-1", source, target, 1, user="thread")

    with ThreadPoolExecutor(N_WRITERS) as pool:
        list(pool.map(move, range(20)))

    total = on_hand_units(engine, "P-1", "PLANT-A") + on_hand_units(
        engine, "P-1", "PLANT-B"
    )
    assert total == 10
