"""Deterministic synthetic people for demos, tests and benchmarks (no Django, no database)."""
