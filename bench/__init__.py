"""Benchmarks, one command each (`.venv/bin/python bench/NAME.py`); tests import their
measuring functions to hold the levels reached."""
