"""Benchmarks and probes of CreditHub: not part of the installed product.

`credit-hub bench WHAT` runs one from a checkout that has this folder (registry.run); the probes
run as modules from the checkout's root, e.g. `.venv/bin/python -m bench.compare_hubs`. Current
figures go to docs/benchmarks.md, older ones to docs/benchmarks-history.md.
"""
