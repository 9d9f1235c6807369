"""flask commands: catalog, seed, translate (more areas add their groups here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from .db import db

catalog_cli = AppGroup("catalog", help="The service catalog.")
seed_cli = AppGroup("seed", help="Demo data.")
translate_cli = AppGroup("translate", help="Translation catalogs (extract, update, compile).")
db_cli = AppGroup("db", help="The database schema.")

TRANSLATIONS = Path(__file__).parent / "translations"
POT = TRANSLATIONS / "messages.pot"


@catalog_cli.command("load")
@click.option("--path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
def catalog_load(path: Path | None) -> None:
    """Load the catalog data files (idempotent: updates, never duplicates)."""
    from lifecycle.catalog import CatalogError

    from .services.catalog_sync import load_from_path

    try:
        with db.transaction() as session:
            report = load_from_path(session, path)
    except CatalogError as exc:
        raise click.ClickException(f"catalog refused, nothing loaded: {exc}") from exc
    click.echo(
        f"catalog loaded: {report.services} services, {report.departments} departments, "
        f"{report.materials} materials, {report.bundles} bundles, {report.life_events} life events"
    )


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    from .migrate import upgrade

    upgrade(db.engine)
    click.echo("database at head")


@seed_cli.command("demo")
@click.option(
    "--population/--no-population", default=True, help="Also build the synthetic population."
)
def seed_demo(population: bool) -> None:
    """Create the demo accounts (and the synthetic population) if they do not exist."""
    from .bootstrap import seed_all

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
    from .translation_tools import fill_derived

    click.echo(fill_derived(TRANSLATIONS))


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the .po catalogs into .mo files."""
    from .i18n import compile_catalogs

    click.echo(f"compiled {compile_catalogs(force=True)} catalogs")


def init_app(app: Flask) -> None:
    for group in (catalog_cli, seed_cli, translate_cli, db_cli):
        app.cli.add_command(group)
