"""What every spareplan command shares: consoles, and bad input turned into exit 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

from spareplan.errors import InvalidInputError, SpareplanError

__all__ = ["EXIT_BAD_INPUT", "console", "errors", "guarded", "print_error"]

T = TypeVar("T")
EXIT_BAD_INPUT = 2
# Piped output has no terminal width; 140 columns keep tables' headers whole.
console = Console(width=None if Console().is_terminal else 140)
errors = Console(stderr=True, width=None if Console(stderr=True).is_terminal else 140)


def guarded(function: Callable[..., T], *args: Any) -> T:
    """Call ``function``; on bad input print the problems and exit with 2."""
    try:
        return function(*args)
    except InvalidInputError as error:
        print_error("Invalid input", error)
    except SpareplanError as error:
        print_error("Error", error)


def print_error(label: str, error: Exception) -> NoReturn:
    """Print ``label: message`` to standard error and exit with 2."""
    # The message quotes the user's own cells; they must never be read as markup.
    errors.print(f"[bold red]{label}[/]: ", end="")
    errors.print(str(error), markup=False, highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)
