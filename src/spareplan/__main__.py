"""``python -m spareplan`` runs the command line."""

from spareplan.cli import main

main()
