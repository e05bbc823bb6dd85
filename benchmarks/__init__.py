"""Benchmarks run by `make bench`. Each compares us against an anchor in the same run."""
