"""The e-mail channel: localised plain-text + HTML messages over SMTP (``SMTP_URL``), or,
without SMTP, appended to ``instance/outbox.log`` so the default set-up never fails.

Failures are classified: :class:`TemporaryFailure` (connection refused or dropped, 4xx
replies) is retried with backoff; :class:`PermanentFailure` (5xx, e.g. recipient refused)
is not.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webapp.core.i18n import citation_text

_log_lock = threading.Lock()
UNSUBSCRIBE_SALT = "reminders-unsubscribe"


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None
    tag: str = ""  # X-Lifepage-Notification: which outbox rows the message delivers


UNSUBSCRIBE_MAX_AGE = 180 * 24 * 3600  # links in e-mails kept for half a year still work


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def _born(account) -> str:
    """The account's creation time: a token names it, so after the account is deleted a
    new account that gets the same id cannot be unsubscribed with the old link."""
    created = account.created_at
    return created.strftime("%Y%m%d%H%M%S%f") if created is not None else ""


def unsubscribe_token(account, rule: str) -> str:
    return _serializer().dumps({"a": account.id, "r": rule, "c": _born(account)})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(account id, rule) of a genuine, unexpired token; check the account with
    :func:`unsubscribe_token_fits`."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
        return int(data["a"]), str(data["r"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_token_fits(token: str, account) -> bool:
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except (BadSignature, TypeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("c") == _born(account)


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def render(template: str, locale: str, **context) -> str:
    env = current_app.jinja_env
    with force_locale(locale):
        return env.get_template(template).render(locale=locale, **context)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(value: str) -> str:
    """A header value on one line: control characters (a line break in a stored name)
    become a space instead of breaking the message."""
    return _CONTROL.sub(" ", value or "").strip()


def message_id(tag: str) -> str:
    """The same Message-ID for every attempt to deliver the same outbox rows, so a
    message sent again after a crash is recognisable as a duplicate."""
    domain = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "lifepage.invalid"
    if not tag:
        return make_msgid(domain=domain)
    digest = hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{tag}".encode()).hexdigest()
    return f"<lifepage.{digest[:32]}@{domain}>"


def build_message(mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = one_line(mail.to)
    msg["Subject"] = one_line(mail.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(mail.tag)
    if mail.tag:
        msg["X-Lifepage-Notification"] = mail.tag
    if mail.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


class Mailer:
    """One SMTP connection reused for a dispatch batch; reconnects after a failure."""

    def __init__(self, smtp_url: str, log_path: Path, timeout: float = 10.0):
        self.smtp_url = smtp_url
        self.log_path = log_path
        self.timeout = timeout
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
            self._conn = None

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.smtp_url)
        host = parts.hostname or "127.0.0.1"
        if parts.scheme == "smtps":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(host, parts.port or 25, timeout=self.timeout)
            if parts.scheme == "smtp+starttls":
                conn.starttls(context=ssl.create_default_context())
        if parts.username:
            conn.login(unquote(parts.username), unquote(parts.password or ""))
        return conn

    def send(self, mail: Mail) -> None:
        msg = build_message(mail)
        if not self.smtp_url:
            self._write_log(msg)
            return
        try:
            if self._conn is None:
                self._conn = self._connect()
            self._conn.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {codes}") from exc
            self.close()
            raise TemporaryFailure(f"recipient deferred: {codes}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise TemporaryFailure(f"SMTP authentication failed: {exc.smtp_code}") from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"refused: {exc.smtp_code} {exc.smtp_error!r}") from exc
            self.close()
            raise TemporaryFailure(f"deferred: {exc.smtp_code} {exc.smtp_error!r}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    def _write_log(self, msg: EmailMessage) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with _log_lock, self.log_path.open("a", encoding="utf-8") as f:
            f.write(msg.as_string())
            f.write(SEPARATOR)


SEPARATOR = "\n" + "=" * 72 + "\n"


def forget_recipient(address: str) -> int:
    """Remove every message to ``address`` from instance/outbox.log (account deletion).
    Returns how many were removed."""
    path = Path(current_app.config["INSTANCE_PATH"]) / "outbox.log"
    if not address or not path.exists():
        return 0
    import email
    from email import policy as email_policy

    target = address.strip().lower()
    with _log_lock:
        chunks = path.read_text(encoding="utf-8").split(SEPARATOR)
        kept = []
        for chunk in chunks:
            if chunk.strip():
                msg = email.message_from_string(chunk, policy=email_policy.default)
                if str(msg.get("To", "")).strip().lower() == target:
                    continue
            kept.append(chunk)
        removed = len(chunks) - len(kept)
        if removed:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(SEPARATOR.join(kept), encoding="utf-8")
            tmp.replace(path)
    return removed


def mailer_from_config() -> Mailer:
    config = current_app.config
    return Mailer(
        config.get("SMTP_URL", ""),
        Path(config["INSTANCE_PATH"]) / "outbox.log",
        float(config.get("SMTP_TIMEOUT", 10)),
    )


def send_mail_now(to: str, subject: str, text: str, html: str) -> None:
    """Send one account e-mail (verification, password reset) at once."""
    with mailer_from_config() as mailer:
        mailer.send(Mail(to=to, subject=subject, text=text, html=html))


def reminder_mail(account, duty, lead: str, today, locale: str, tag: str = "") -> Mail:
    from webapp.reminders.channels import reminder_text

    title, body = reminder_text(duty, lead, today, locale)
    unsubscribe = public_url(f"/unsubscribe/{unsubscribe_token(account, duty.rule)}")
    context = {
        "title": title,
        "body": body,
        "legal_basis": citation_text(duty.legal_basis, locale),
        "service_url": public_url(f"/services/{duty.service_code}"),
        "duties_url": public_url("/me/duties"),
        "settings_url": public_url("/settings/notifications"),
        "unsubscribe_url": unsubscribe,
    }
    with force_locale(locale):
        subject = _("Reminder: %(title)s", title=title)
    return Mail(
        to=account.email,
        subject=subject,
        text=render("notifications/reminder.txt", locale, **context),
        html=render("notifications/reminder.html", locale, **context),
        unsubscribe_url=unsubscribe,
        tag=tag,
    )


def digest_mail(account, entries: list[dict], locale: str, tag: str = "") -> Mail:
    """One e-mail listing several reminders; ``entries`` hold title, body, service_url."""
    context = {
        "entries": entries,
        "duties_url": public_url("/me/duties"),
        "settings_url": public_url("/settings/notifications"),
        "unsubscribe_url": public_url(f"/unsubscribe/{unsubscribe_token(account, '*')}"),
    }
    with force_locale(locale):
        subject = _("Your reminders: %(count)d things due", count=len(entries))
    return Mail(
        to=account.email,
        subject=subject,
        text=render("notifications/digest.txt", locale, **context),
        html=render("notifications/digest.html", locale, **context),
        unsubscribe_url=context["unsubscribe_url"],
        tag=tag,
    )
