"""python -m webapp: migrate, seed demo data on first run, serve, and run the scheduler."""

from __future__ import annotations

import argparse
import logging

from webapp.core.config import from_env, is_set
from webapp.core.logging_filters import quiet_startup_noise
from webapp.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from webapp.jobs import start_background_scheduler


def local_public_url(host: str, port: int, environ=None) -> str | None:
    """The PUBLIC_URL a local run implies (links in e-mails and calendar feeds point at
    the port it serves); None when PUBLIC_URL is set explicitly."""
    if is_set("PUBLIC_URL", environ):
        return None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m webapp", description="Run Lifepage.")
    defaults = from_env()
    parser.add_argument("--host", default=defaults.HOST)
    parser.add_argument("--port", type=int, default=defaults.PORT)
    parser.add_argument(
        "--database-url", default=None, help="default: DATABASE_URL or SQLite under instance/"
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not run the reminder jobs here"
    )
    parser.add_argument(
        "--no-population", action="store_true", help="skip the synthetic population"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Before anything imports Alembic or APScheduler: their set-up chatter is logged on import.
    quiet_startup_noise()

    from webapp import create_app
    from webapp.bootstrap import bootstrap

    overrides = {"DATABASE_URL": args.database_url} if args.database_url else {}
    public_url = local_public_url(args.host, args.port)
    if public_url:
        overrides["PUBLIC_URL"] = public_url
    app = create_app(overrides)
    print(bootstrap(app, population=not args.no_population), flush=True)

    scheduler = None
    if not args.no_scheduler:
        scheduler = start_background_scheduler(app)

    url = f"http://{args.host}:{args.port}"
    print(f"\nLifepage is running at {url}", flush=True)
    print(f"Demo logins (password: {DEMO_PASSWORD}):", flush=True)
    for email, role in DEMO_ACCOUNTS.items():
        print(f"  {role:9} {email}", flush=True)

    from waitress import serve

    try:
        serve(app, host=args.host, port=args.port, threads=args.threads, ident="lifepage")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


if __name__ == "__main__":
    main()
