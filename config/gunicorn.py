"""Gunicorn's settings, the same for every deployable (Procfile.prod; ADR 0033).

The deployable comes from DJANGO_SETTINGS_MODULE and the address from ``--bind``. Gunicorn
reads this file before Django starts, so the few variables it needs are read here rather
than through config/env.py: TAXGOV_WEB_CONCURRENCY (worker processes), TAXGOV_WEB_THREADS
(threads in each) and TAXGOV_DATA_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

_deployable = os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.identity").rsplit(".", 1)[-1]
_data = Path(os.environ.get("TAXGOV_DATA_DIR", "data"))

wsgi_app = "config.wsgi:application"

# Threads, so that with no buffering proxy in front (loopback) a slow client holds one thread
# rather than a whole process; processes for the CPU (Argon2, PDFs), at most nine.
worker_class = "gthread"
workers = int(os.environ.get("TAXGOV_WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 9))
threads = int(os.environ.get("TAXGOV_WEB_THREADS") or 4)

# A worker that stops answering the master for this long is killed and replaced; on SIGTERM or
# SIGHUP (reload code and settings), workers finish their requests for up to graceful_timeout.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Replace each worker after about a thousand requests, at staggered times, so a slow leak never
# grows and workers never all restart at once.
max_requests = 1000
max_requests_jitter = 100

accesslog = None  # the application logs each request
errorlog = "-"
# The heartbeat file on tmpfs: a disk-backed /tmp can stall it and get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice
# gunicornc's socket, one per deployable: three masters would otherwise share ~/.gunicorn/gunicorn.ctl.
control_socket = str(_data / "run" / f"gunicorn-{_deployable}.ctl")
