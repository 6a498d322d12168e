"""The project's own settings, with the static files collected into the run's folder and a
cache key prefix of the run's own (so a run never reads another run's cached pages)."""

import os

from immapp.settings import *  # noqa: F403 - the project as deployed, two values changed

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]  # noqa: F405
