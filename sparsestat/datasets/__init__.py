"""Simulators and small bundled data sets."""

__all__ = []
