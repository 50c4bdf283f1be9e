"""Checks on flows that validate but would serve people badly, and the diagrams of their shape."""
