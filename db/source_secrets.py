"""Encryption at rest of SQL source URLs: Fernet (from ``cryptography``) with a key from the settings.

The key is ``ALIGNBOARD_SECRET_KEY``; several keys may be given, comma-separated, while changing keys (the first
encrypts, any of them decrypts, and a URL saved under an older key is encrypted again with the first the next
time it is used). Without the setting, a key is made once and kept in a file beside the SQLite database (or in
the project's ``data/`` folder when the database is elsewhere), readable by its owner only. A deployment should
set the variable: whoever can read that folder can read the key too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import URL, make_url

from settings import PROJECT_ROOT, get_settings

log = logging.getLogger(__name__)
KEY_FILE_NAME = "alignboard-secret.key"
PROJECT_DATA = PROJECT_ROOT / "data"
MAKE_A_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class SecretKeyError(ValueError):
    """The key is missing, malformed or not the one a secret was saved with; the message says what to do."""


def key_file(database_url: str | URL) -> Path:
    """Where the key is kept when ALIGNBOARD_SECRET_KEY is not set: beside the SQLite file, else in data/."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database.removeprefix("file:").split("?")[0]).resolve().parent / KEY_FILE_NAME
    return PROJECT_DATA / KEY_FILE_NAME


def is_encrypted(stored: str) -> bool:
    """Whether a stored value is a Fernet token; a clear-text URL always has a ':' and a token never does."""
    return ":" not in stored


def encrypt_secret(text: str, database_url: str | URL) -> str:
    return _ciphers(database_url)[0].encrypt(text.encode()).decode()


def decrypt_secret(token: str, database_url: str | URL) -> str:
    """The clear text of ``token``; a SecretKeyError (plain, without the token) when no key opens it."""
    try:
        return MultiFernet(_ciphers(database_url)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretKeyError("the saved database URL cannot be decrypted with this installation's secret key: set "
                             "ALIGNBOARD_SECRET_KEY to the key it was saved with (or add the source again)") from None


def needs_new_encryption(stored: str, database_url: str | URL) -> bool:
    """Clear text, or a token the first (current) key does not open: encrypt it again."""
    if not is_encrypted(stored):
        return True
    try:
        _ciphers(database_url)[0].decrypt(stored.encode())
    except InvalidToken:
        return True
    return False


def _ciphers(database_url: str | URL) -> list[Fernet]:
    configured = get_settings().secret_key.get_secret_value().strip()
    keys = [k.strip() for k in configured.split(",") if k.strip()] if configured else [_file_key(database_url)]
    try:
        return [Fernet(key) for key in keys]
    except ValueError:
        raise SecretKeyError(f"ALIGNBOARD_SECRET_KEY is not a valid key (32 bytes, URL-safe base64): make one with "
                             f"{MAKE_A_KEY}") from None


def _file_key(database_url: str | URL) -> str:
    path = key_file(database_url)
    if not path.exists():
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(0o600)
            log.warning("%s was readable by others; it is now readable by its owner only", path)
        except OSError:
            log.warning("%s is readable by others: make it readable by its owner only (chmod 600)", path)
    return path.read_text().strip()


def _create_key_file(path: Path) -> None:
    """Write a new key atomically (0600): a second process racing us keeps the first key written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mkstemp creates it 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(Fernet.generate_key().decode() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    log.warning("ALIGNBOARD_SECRET_KEY is not set: SQL source URLs are encrypted with the key kept in %s", path)
