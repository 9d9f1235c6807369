"""flask crypto rotate-id-numbers: re-encrypt stored resident ID numbers with the first key."""

from __future__ import annotations

import click
from cryptography.fernet import InvalidToken
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.core.db import db
from webapp.core.security.crypto import rotate
from webapp.people.models import CitizenProfile

crypto_cli = AppGroup("crypto", help="Encryption keys of personal data at rest.")


def rotate_id_numbers(session, batch: int = 500) -> tuple[int, int]:
    """Re-encrypt every stored ID number with the first key of ID_ENCRYPTION_KEYS.
    Returns (re-encrypted, unreadable): an unreadable value fits none of the keys."""
    done = failed = 0
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(CitizenProfile)
                .where(
                    CitizenProfile.id_number_encrypted.is_not(None),
                    CitizenProfile.account_id > last,
                )
                .order_by(CitizenProfile.account_id)
                .limit(batch)
            )
        )
        if not rows:
            return done, failed
        for row in rows:
            last = row.account_id
            try:
                row.id_number_encrypted = rotate(row.id_number_encrypted)
                done += 1
            except InvalidToken:
                failed += 1
        session.flush()


@crypto_cli.command("rotate-id-numbers")
def rotate_id_numbers_command() -> None:
    """Re-encrypt stored resident ID numbers with the newest key (run after adding a key in
    front of ID_ENCRYPTION_KEYS; drop the old key afterwards)."""
    with db.transaction() as session:
        done, failed = rotate_id_numbers(session)
    click.echo(f"re-encrypted {done} ID numbers; {failed} fit none of the keys")
    if failed:
        raise click.ClickException(f"{failed} ID numbers fit none of the configured keys")
