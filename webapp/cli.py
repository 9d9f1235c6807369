"""flask commands: catalog, seed, translate (more areas add their groups here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from webapp.core.db import db

catalog_cli = AppGroup("catalog", help="The service catalog.")
seed_cli = AppGroup("seed", help="Demo data.")
translate_cli = AppGroup("translate", help="Translation catalogs (extract, update, compile).")
db_cli = AppGroup("db", help="The database schema.")

TRANSLATIONS = Path(__file__).parent / "translations"
POT = TRANSLATIONS / "messages.pot"


@catalog_cli.command("load")
@click.option("--path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
def catalog_load(path: Path | None) -> None:
    """Load the catalog data files (idempotent: updates, never duplicates), and the
    published holiday calendars (holidays/<year>.yaml), recomputing the duties they move."""
    from lifecycle.catalog import CatalogError
    from webapp import duties
    from webapp.catalog.sync import load_from_path
    from webapp.core.clock import local_today

    try:
        with db.transaction() as session:
            report = load_from_path(session, path)
            calendars = duties.load_holiday_files(session, local_today(), path)
    except CatalogError as exc:
        raise click.ClickException(f"catalog refused, nothing loaded: {exc}") from exc
    click.echo(
        f"catalog loaded: {report.services} services, {report.departments} departments, "
        f"{report.materials} materials, {report.bundles} bundles, {report.life_events} life events"
    )
    for cal in calendars:
        click.echo(
            f"holidays {cal.year}: "
            + (f"published, {cal.moved_duties} duties moved" if cal.changed else "unchanged")
        )


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    from webapp.core.migrate import upgrade

    upgrade(db.engine)
    click.echo("database at head")


@seed_cli.command("demo")
@click.option(
    "--population/--no-population", default=True, help="Also build the synthetic population."
)
def seed_demo(population: bool) -> None:
    """Create the demo accounts (and the synthetic population) if they do not exist."""
    from webapp.bootstrap import seed_all

    click.echo(seed_all(population=population))


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract marked strings into messages.pot."""
    root = Path(__file__).parent.parent
    _pybabel(
        "extract",
        "-F",
        str(root / "babel.cfg"),
        "-k",
        "_l",
        "-o",
        str(POT),
        "--no-location",
        "--sort-output",
        str(root / "webapp"),
    )


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, merge into each locale, and fill zh_Hant from zh_Hans and en from the source."""
    translate_extract.callback()
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    from webapp.core.translation_tools import fill_derived

    click.echo(fill_derived(TRANSLATIONS))


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the .po catalogs into .mo files."""
    from webapp.core.i18n import compile_catalogs

    click.echo(f"compiled {compile_catalogs(force=True)} catalogs")


def init_app(app: Flask) -> None:
    for group in (catalog_cli, seed_cli, translate_cli, db_cli):
        app.cli.add_command(group)
    app.cli.add_command(recommender_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
    from webapp.duties.cli import duties_cli
    from webapp.people.cli import crypto_cli

    app.cli.add_command(crypto_cli)

    app.cli.add_command(duties_cli)


# ------------------------------------------------------------------ reminders, scheduler
reminders_cli = AppGroup("reminders", help="Reminder sweep, dispatch and outbox status.")


@reminders_cli.command("sweep")
def reminders_sweep() -> None:
    """Insert outbox rows for every duty whose reminder lead has come (idempotent)."""
    from webapp.core import clock
    from webapp.reminders import run_sweep

    click.echo(run_sweep(clock.now(), clock.local_today()))


@reminders_cli.command("dispatch")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between rounds.")
def reminders_dispatch(once: bool, interval: float) -> None:
    """Deliver due notifications (inbox, e-mail); safe to run on several machines."""
    import time as _time

    from webapp.core import clock
    from webapp.reminders import run_dispatch

    while True:
        click.echo(run_dispatch(clock.now(), clock.local_today()))
        if once:
            return
        _time.sleep(interval)


@reminders_cli.command("status")
def reminders_status() -> None:
    """Outbox rows by status and channel."""
    from webapp.reminders import status_counts

    with db.transaction() as session:
        counts = status_counts(session)
    if not counts:
        click.echo("outbox empty")
    for (status, channel), n in sorted(counts.items()):
        click.echo(f"{status:10} {channel:6} {n}")


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduled jobs in this process (run exactly one per deployment)."""
    import logging

    from flask import current_app
    from flask.logging import default_handler

    from webapp.jobs import run_blocking

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = current_app._get_current_object()
    app.logger.removeHandler(default_handler)  # the root handler prints it once
    run_blocking(app)


# ------------------------------------------------------------------ recommender
recommender_cli = AppGroup("recommender", help="Train, inspect and activate recommender models.")


def _metrics_line(name: str, m: dict) -> str:
    return (
        f"  {name:22} P@10 {m.get('precision_at_k', 0):.4f}  R@10 {m.get('recall_at_k', 0):.4f}"
        f"  NDCG@10 {m.get('ndcg_at_k', 0):.4f}  AUC {m.get('auc', 0):.4f}"
        f"  coverage {m.get('coverage', 0):.4f}"
    )


@recommender_cli.command("train")
@click.option("--epochs", type=int, default=None, help="Training epochs (default REC_EPOCHS).")
@click.option("--threads", type=int, default=None, help="Threads (default REC_THREADS).")
@click.option(
    "--select",
    "select_mode",
    type=click.Choice(["weekly", "always", "never"]),
    default=None,
    help="Choose the settings on validation data: weekly (reuse a recent choice), always, "
    "or never (fixed REC_EPOCHS). Default REC_SELECT.",
)
def recommender_train(epochs: int | None, threads: int | None, select_mode: str | None) -> None:
    """Train on the stored interactions, evaluate, and activate the model if not worse."""
    from flask import current_app

    from webapp.recommend.training import train_and_maybe_activate

    overrides = {}
    if epochs is not None:
        overrides["REC_EPOCHS"] = epochs
    if threads is not None:
        overrides["REC_THREADS"] = threads
    if select_mode is not None:
        overrides["REC_SELECT"] = select_mode
    elif epochs is not None:
        overrides["REC_SELECT"] = "never"  # fixed epochs asked for
    row = train_and_maybe_activate(current_app._get_current_object(), **overrides)
    meta = row.metadata_ or {}
    click.echo(f"model version {row.version}: {row.status} ({meta.get('seconds')} s)")
    if row.note:
        click.echo(f"  {row.note}")
    if meta.get("choice"):
        sel = meta.get("selection") or {}
        how = (
            f"reused from {sel['reused_from']} (chosen {sel.get('selected_on')})"
            if sel.get("reused_from")
            else f"chosen now in {sel.get('seconds')} s on validation data"
            if sel.get("selected_on")
            else "fixed"
        )
        click.echo(f"settings {how}: {meta['choice']}")
    if row.metrics:
        click.echo(
            f"hold-out (time split, {meta.get('n_test')} test events, "
            f"{meta.get('n_evaluated_users')} users):"
        )
        click.echo(_metrics_line("model", row.metrics))
        if meta.get("blended"):
            click.echo(_metrics_line("blended", meta["blended"]))
        for name, m in (row.baselines or {}).items():
            click.echo(_metrics_line(name, m))
    if row.status == "failed":
        raise SystemExit(1)


@recommender_cli.command("status")
@click.option("--limit", default=10, show_default=True)
def recommender_status(limit: int) -> None:
    """Model versions, newest first: status, progress, NDCG@10, note."""
    from webapp.recommend.training import versions

    with db.transaction() as session:
        rows = versions(session, limit)
        if not rows:
            click.echo("no model trained yet: run 'flask recommender train'")
        for r in rows:
            ndcg = (r.metrics or {}).get("ndcg_at_k")
            mark = "*" if r.active else " "
            click.echo(
                f"{mark} {r.version:24} {r.status:9} {r.progress:3d}%  "
                f"NDCG@10 {'-' if ndcg is None else f'{ndcg:.4f}'}  {r.note or ''}"
            )


@recommender_cli.command("activate")
@click.argument("version")
def recommender_activate(version: str) -> None:
    """Make VERSION the active model (e.g. to roll back)."""
    from sqlalchemy import select

    from webapp.recommend.models import ModelVersion
    from webapp.recommend.training import activate

    with db.transaction() as session:
        row = session.scalar(select(ModelVersion).where(ModelVersion.version == version))
        if row is None:
            raise click.ClickException(f"no model version {version}")
        try:
            activate(session, row.id, f"activated by hand ({version})")
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{version} is active")
