"""flask duties sync [--all | --account EMAIL | --enterprise CREDIT_CODE]."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from webapp.core.db import db

duties_cli = AppGroup("duties", help="Stored duties (what is due).")


@duties_cli.command("sync")
@click.option("--all", "everyone", is_flag=True, help="Every account and enterprise.")
@click.option("--account", "email", default=None, help="One account (and its household).")
@click.option("--enterprise", "credit_code", default=None, help="One enterprise.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compute as of this date (default: today, Asia/Shanghai).",
)
def sync(everyone: bool, email: str | None, credit_code: str | None, today) -> None:
    """Recompute stored duties (idempotent: keeps statuses, retires what no longer applies)."""
    from sqlalchemy import select

    from webapp.duties import sync as duty_sync
    from webapp.enterprise.models import Enterprise

    day: date | None = today.date() if today else None
    if sum(bool(x) for x in (everyone, email, credit_code)) != 1:
        raise click.UsageError("give exactly one of --all, --account EMAIL, --enterprise CODE")
    if everyone:
        with db.transaction() as session:
            report = duty_sync.sync_all(session, day, commit=True)
    elif email:
        with db.transaction() as session:
            account_id = duty_sync.account_id_for_email(session, email)
            if account_id is None:
                raise click.ClickException(f"no account {email}")
            report = duty_sync.sync_account(session, account_id, day)
    else:
        with db.transaction() as session:
            ent_id = session.scalar(
                select(Enterprise.id).where(Enterprise.credit_code == credit_code.upper())
            )
            if ent_id is None:
                raise click.ClickException(f"no enterprise {credit_code}")
            report = duty_sync.sync_enterprise(session, ent_id, day)
    click.echo(f"duties synced: {report}")
