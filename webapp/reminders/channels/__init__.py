"""Delivery channels (inbox, e-mail) and the reminder texts they share."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from webapp.core.i18n import LOCALES, localized, to_traditional

FALLBACK_LOCALE = "zh_Hans"


def account_locale(locale: str | None) -> str:
    return locale if locale in LOCALES else FALLBACK_LOCALE


def person_name(name: str | None, locale: str) -> str:
    """A name as written on a page in ``locale``: 繁體 pages show it converted, every time."""
    if not name:
        return ""
    return to_traditional(name) if locale == "zh_Hant" else name


def lead_sentence(lead: str, window_start: date, due_date: date, today: date) -> str:
    """One sentence in the current (forced) locale saying when the duty is due."""
    due = format_date(due_date, "long")
    if lead == "window":
        return _(
            "You can do this from %(start)s; it is due by %(due)s.",
            start=format_date(window_start, "long"),
            due=due,
        )
    days = (due_date - today).days
    if days <= 0:
        return _("It is due today, %(due)s.", due=due)
    if days == 1:
        return _("It is due tomorrow, %(due)s.", due=due)
    # Plain gettext, not ngettext: Chinese has one plural form and 1 is handled above.
    return _("It is due in %(num)d days, by %(due)s.", num=days, due=due)


def reminder_text(duty, lead: str, today: date, locale: str) -> tuple[str, str]:
    """(title, body) of a reminder in ``locale``; needs an app context."""
    with force_locale(locale):
        title = localized(duty.title, locale)
        sentence = lead_sentence(lead, duty.window_start, duty.due_date, today)
        who = person_name(duty.subject_name, locale)
        body = _("%(who)s: %(sentence)s", who=who, sentence=sentence) if who else sentence
    return title, body


def reminder_texts(duty, lead: str, today: date) -> tuple[dict, dict]:
    """Title and body in every locale, as stored on an inbox item."""
    titles, bodies = {}, {}
    for locale in LOCALES:
        titles[locale], bodies[locale] = reminder_text(duty, lead, today, locale)
    return titles, bodies
