"""Bundled data files (read through importlib.resources)."""
