"""Passwords, one way for every service that keeps them (the gateway's staff, the customer
service's booking-site accounts): argon2 through pwdlib, and a dummy comparison when there
is no account, so that the time of an answer does not reveal whether one exists."""

import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_passwords = PasswordHash((Argon2Hasher(),))
_DUMMY_HASH = _passwords.hash("not-a-real-password")

# No 0/O, 1/l/I: a temporary password is read from a mail and typed on a phone.
_READABLE = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _passwords.verify(password, _DUMMY_HASH)
        return False
    return _passwords.verify(password, password_hash)


def temporary_password(length: int = 10) -> str:
    """Random, with a digit and a letter in it so that it passes the password rule itself."""
    while True:
        word = "".join(secrets.choice(_READABLE) for _ in range(length))
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word
