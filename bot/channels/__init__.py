"""Thin adapters, one package per channel: signatures, wire formats, sending, error kinds."""
