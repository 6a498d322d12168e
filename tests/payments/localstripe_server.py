"""Run localstripe on loopback only: ``python localstripe_server.py PORT``.

localstripe is GPL-3.0, so the test suite runs it as a separate process and only talks HTTP to
it; nothing in the application imports it. Its own command line binds every interface and keeps
its data in /tmp/localstripe.pickle, rewritten on every change and shared by every run on the
machine: this wrapper binds 127.0.0.1 and keeps the data in memory.
"""

import sys

from aiohttp import web
from localstripe import resources
from localstripe.server import app

resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
