"""Set-at-a-time SQL helpers that stay fast with thousands of ids: on PostgreSQL one
``= ANY(array)`` parameter instead of thousands of ``IN`` parameters; on SQLite ``IN``
lists in chunks below its parameter limit."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

SQLITE_CHUNK = 900


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def id_chunks(session: Session, ids) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    if not ids:
        return
    if is_postgres(session):
        yield ids
        return
    for start in range(0, len(ids), SQLITE_CHUNK):
        yield ids[start : start + SQLITE_CHUNK]


def in_ids(session: Session, column, chunk: list[int]):
    if is_postgres(session):
        return column == any_(bindparam(None, chunk, type_=ARRAY(Integer)))
    return column.in_(chunk)
