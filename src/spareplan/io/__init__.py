"""Reading, validating and writing spareplan's files."""
