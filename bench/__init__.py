"""Benchmarks: how import and page loads grow with the number of raw rows."""
