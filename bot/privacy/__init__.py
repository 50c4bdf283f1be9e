"""Keeping as little as we can: retention, erasure, subject access, keys and redaction."""
