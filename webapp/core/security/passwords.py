"""Password hashing with argon2id, and the common-password check."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with the library's recommended parameters; the test suite sets
# LIFEPAGE_FAST_PASSWORD_HASH=1 for cheap (still argon2id) hashes.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if os.environ.get("LIFEPAGE_FAST_PASSWORD_HASH") == "1"
    else PasswordHasher()
)

MIN_LENGTH = 10

# A short list of the most common passwords; longer lists can be dropped into the file.
COMMON_PASSWORDS = frozenset(
    [
        "123456",
        "123456789",
        "12345678",
        "password",
        "qwerty123",
        "1234567890",
        "1234567",
        "111111",
        "123123",
        "abc123",
        "password1",
        "iloveyou",
        "000000",
        "qwerty",
        "1q2w3e4r",
        "1qaz2wsx",
        "a123456",
        "woaini1314",
        "5201314",
        "147258369",
        "qwertyuiop",
        "password123",
        "admin123",
        "88888888",
        "11111111",
        "aa123456",
        "123qwe",
        "987654321",
        "qq123456",
        "passw0rd1",
        "zxcvbnm123",
        "1234qwer",
        "abcd1234",
        "welcome123",
        "letmein123",
        "changeme123",
        "lifepage123",
        "1234567890a",
        "0123456789",
        "asdfghjkl",
        "12345678910",
        "a1234567890",
        "p@ssw0rd123",
    ]
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("lifepage-not-a-password")


def verify_dummy(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None. Messages are translation keys."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > 256:
        return "too_long"
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return "too_common"
    return None
