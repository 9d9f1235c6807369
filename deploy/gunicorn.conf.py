"""gunicorn settings for Lifepage: ``gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'``.

Every value can be changed with an environment variable (shown next to it). The app is
imported once in the master (``preload_app``) and forked: workers share the code pages,
start fast, and each opens its own database connections after the fork.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two to four workers per core. Each worker holds up to pool_size + max_overflow (20)
# database connections: keep workers × 20 × app servers under PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# GUNICORN_THREADS > 1 switches to threaded workers (keep-alive, overlap of database waits).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Worker recycling is off: a new worker starts with cold caches (catalog, model, service
# popularity), which costs seconds on its first page. Set GUNICORN_MAX_REQUESTS (e.g. 200000)
# only if a worker's memory is seen to grow; the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Behind nginx on the same host; X-Forwarded-* is trusted from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" for stdout
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "lifepage-web"


def when_ready(server):
    """Warm the recommendation caches once in the master, before the workers are forked.

    The workers inherit the catalog index, the model and the service popularity, so none
    of them spends its first page computing them (popularity alone reads every interaction:
    seconds at 2M). Off with GUNICORN_WARM_UP=0; a failure here only logs.
    """
    app = getattr(server.app, "callable", None)
    if app is None or os.environ.get("GUNICORN_WARM_UP", "1") != "1":
        return
    try:
        from webapp.core.db import db
        from webapp.recommend.recommendations import serving_state

        with app.app_context():
            session = db.new_session()
            try:
                state = serving_state()
                catalog = state.get_catalog(session)
                state.get_view(session, catalog)
                state.get_popularity(session, catalog)
            finally:
                session.close()
                db.engine.dispose()
        server.log.info("recommendation caches warmed in the master")
    except Exception as exc:  # the workers compute them lazily instead
        server.log.warning("warm-up skipped: %s: %s", type(exc).__name__, exc)


def post_fork(server, worker):
    """Never share the master's database connections with a worker."""
    app = getattr(server.app, "callable", None)
    engine = getattr(app, "extensions", {}).get("db_engine") if app is not None else None
    if engine is not None:
        engine.dispose(close=False)
