"""Subprocess bodies of the concurrency and kill tests (run as a script).

``python workers.py movements URL N`` books N receipts and N issues of one unit
of P-1 at PLANT-A; ``import URL CATALOGUE`` and ``replenish URL`` run those
operations with DEBUG logging, so a test can kill them once the write has begun.
"""

from __future__ import annotations

import logging
import sys

from spareplan.store import connect_store, import_catalogue, issue, receive, replenish


def book_movements(url: str, n_each: int) -> None:
    """Alternate receipts and issues of one unit."""
    engine = connect_store(url)
    for index in range(n_each):
        receive(engine, "P-1", "PLANT-A", 1, user="worker", reference=f"R{index}")
        issue(engine, "P-1", "PLANT-A", 1, user="worker", reference=f"I{index}")
    engine.dispose()


def main(arguments: list[str]) -> None:
    """Dispatch on the first argument."""
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(message)s")
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    operation, url, *rest = arguments
    if operation == "movements":
        book_movements(url, int(rest[0]))
    elif operation == "import":
        import_catalogue(connect_store(url), rest[0], user="killed")
    elif operation == "replenish":
        replenish(connect_store(url), user="killed")
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
