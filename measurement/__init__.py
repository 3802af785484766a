"""Measuring Claimledger: data generators, evaluations on benchmark data, benchmarks.

Nothing here runs in production and product code (`claims`, `sources`, `config`) never imports
this package; `make lint` checks that. Its management commands are the way in.
"""
