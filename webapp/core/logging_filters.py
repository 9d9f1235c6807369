"""Keep personal data out of the logs.

``PersonalDataFilter`` rewrites a log record's message (and its formatted traceback) with
resident ID numbers (18-character pattern), e-mail addresses, dates of birth in known fields
and names in known fields masked. ``init_app`` installs it process-wide through the log-record
factory, so every record is masked when it is created, whatever handler writes it later
(Flask's, gunicorn's, the scheduler's, pytest's), and also on the app's logger.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

# 17 digits and a check character, not inside a longer run of letters/digits.
# Only the first four characters stay: the last four (sequence and check character) with the
# region and birth date stored on the profile would give the whole number.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{13}[\dXx](?![0-9A-Za-z])")
EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
_SEP = r"""(["']?\s*[:=]\s*["']?)"""
BIRTH_FIELDS = r"birth_date|date_of_birth|birthdate|birthday|dob|birth"
BIRTH = re.compile(
    rf"(?i)\b({BIRTH_FIELDS}){_SEP}"
    r"(\d{4}-\d{1,2}-\d{1,2}|\d{8}|(?:datetime\.)?date\(\d{4},\s*\d{1,2},\s*\d{1,2}\))"
)
NAME_FIELDS = r"full_name|display_name|subject_name|member_name|actor_label|name"
NAME = re.compile(rf"\b({NAME_FIELDS}){_SEP}([^\s\"',;&}}\])]+)")


def _mask_name(m: re.Match) -> str:
    value = m.group(3)
    return f"{m.group(1)}{m.group(2)}{value[:1]}{'*' * max(len(value) - 1, 1)}"


def mask(text: str) -> str:
    """The text with ID numbers, e-mail addresses, birth dates and names masked."""
    if not text:
        return text
    text = ID_NUMBER.sub(r"\1**************", text)
    text = EMAIL.sub(r"\1***@\2", text)
    text = BIRTH.sub(r"\1\2****-**-**", text)
    return NAME.sub(_mask_name, text)


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_pd_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, masked
            message = f"{record.msg} {record.args}"
        record.msg = mask(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record._pd_masked = True
        return True


_FILTER = PersonalDataFilter()
_installed = False


def _install_record_factory() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _FILTER.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def init_app(app: Flask) -> None:
    _install_record_factory()
    quiet_startup_noise()
    if _FILTER not in app.logger.filters:
        app.logger.addFilter(_FILTER)


class StartupNoiseFilter(logging.Filter):
    """Drops the set-up chatter that says nothing to an operator at the default level:
    Alembic's "setup plugin …" and APScheduler's "Adding job tentatively …" lines. With the
    root logger at DEBUG they are kept."""

    NOISE = (("alembic.runtime.plugins", "setup plugin"), ("apscheduler", "Adding job tentatively"))

    def filter(self, record: logging.LogRecord) -> bool:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            return True
        for prefix, start in self.NOISE:
            if record.name.startswith(prefix) and str(record.msg).startswith(start):
                return False
        return True


_NOISE = StartupNoiseFilter()


def quiet_startup_noise() -> None:
    for name in ("alembic.runtime.plugins", "apscheduler.scheduler"):
        logger = logging.getLogger(name)
        if _NOISE not in logger.filters:
            logger.addFilter(_NOISE)
