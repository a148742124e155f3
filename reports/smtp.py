"""Sending mail through the configured SMTP server (ALIGNBOARD_SMTP_*): one connection for a run's messages."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from metrics.refusal import Refused
from settings import Settings, get_settings

log = logging.getLogger(__name__)
TLS_MODES = ("starttls", "ssl", "none")
TIMEOUT_SECONDS = 30


class MailNotConfigured(Refused):
    """The mail settings are missing or wrong; the message names the setting."""


class MailFailed(Refused):
    """The mail server could not be reached or refused a message; the message says which and why."""


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    sender: str
    tls: str = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def mail_server(settings: Settings | None = None) -> MailServer:
    """The server from the settings; MailNotConfigured saying which setting is missing or wrong."""
    settings = settings or get_settings()
    problems = []
    if not settings.smtp_host.strip():
        problems.append("ALIGNBOARD_SMTP_HOST is not set (the mail server's name)")
    if "@" not in parseaddr(settings.smtp_sender)[1]:
        problems.append("ALIGNBOARD_SMTP_SENDER must be an address, as 'Alignboard <review@example.com>'")
    tls = settings.smtp_tls.strip().lower()
    if tls not in TLS_MODES:
        problems.append(f"ALIGNBOARD_SMTP_TLS must be starttls, ssl or none, not '{settings.smtp_tls[:20]}'")
    if problems:
        raise MailNotConfigured("Mail is not set up: " + "; ".join(problems) + ".")
    return MailServer(host=settings.smtp_host.strip(), port=settings.smtp_port, sender=settings.smtp_sender.strip(),
                      tls=tls, username=settings.smtp_username.strip(),
                      password=settings.smtp_password.get_secret_value())


@contextmanager
def connected(server: MailServer) -> Iterator[smtplib.SMTP]:
    """An open, signed-in connection; MailFailed (without the password) when that cannot be had."""
    try:
        if server.tls == "ssl":
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        if server.tls == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if server.username:
            connection.login(server.username, server.password)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail server %s: %s", server.where, error)
        raise MailFailed(f"Could not reach the mail server at {server.where}: {_reason(error)}") from None
    try:
        yield connection
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def send(connection: smtplib.SMTP, mail: EmailMessage) -> None:
    """Hand one message to the server; MailFailed when it refuses it (or its recipient)."""
    try:
        refused = connection.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(f"The mail server did not take the message to {mail['To']}: {_reason(error)}") from None
    if refused:
        raise MailFailed(f"The mail server refused {', '.join(refused)}.")


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {text}"[:200]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the recipient was refused"
    return (str(error) or type(error).__name__).splitlines()[0][:200]
