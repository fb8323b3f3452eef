"""Benchmarks: the harness (`make bench`), its hand-written SQL floors, and the file generators."""
