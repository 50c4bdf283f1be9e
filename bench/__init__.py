"""Reproducible benchmarks: `python bench/NAME.py [--quick] [--json]` from the repo root."""
