"""Password hashing with argon2id, and the common-password check."""

from __future__ import annotations

import os
from functools import lru_cache

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
MAX_LENGTH = 256
# zxcvbn's score: 3 = "safely unguessable: moderate protection from an offline
# slow-hash scenario" (about 10^8 guesses and more).
MIN_SCORE = 3


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of the leaked-password corpus zxcvbn ships."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


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


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused, or None: ``too_short``, ``too_long``,
    ``too_common`` (in the common-password list) or ``too_guessable`` (zxcvbn scores it
    below ``MIN_SCORE``; ``user_inputs`` such as the e-mail address count against it)."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    if password.lower() in common_passwords():
        return "too_common"
    from zxcvbn import zxcvbn

    if zxcvbn(password, user_inputs=[*user_inputs, "lifepage"])["score"] < MIN_SCORE:
        return "too_guessable"
    return None
