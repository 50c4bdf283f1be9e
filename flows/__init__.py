"""The conversation language: flow schema, loader, reply interpretation, the pure engine, rendering.

Nothing in this package does I/O, reads the clock or touches a database; callers pass `now` in.
"""

from flows.errors import FlowError, FlowValidationError, Problem

__all__ = ["FlowError", "FlowValidationError", "Problem"]
