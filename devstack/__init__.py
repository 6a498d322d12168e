"""Local run and test bootstrap behind `make run` and `make test` (python -m devstack)."""
