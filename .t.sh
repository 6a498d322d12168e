#!/bin/sh
cd /work/wt-deps && DATABASE_URL=postgres://postgres@127.0.0.1:5432/immapp_deps REDIS_URL=redis://127.0.0.1:6379/13 exec timeout 1200 .venv/bin/python -m devstack test "$@" -q -p no:cacheprovider
