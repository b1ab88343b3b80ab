"""Password hashing with scrypt (a memory-hard KDF from the standard library)."""

import base64
import hashlib
import hmac
import os
import secrets

N, R, P, LENGTH = 2**14, 8, 1, 32


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=LENGTH)
    return "$".join(["scrypt", str(N), str(R), str(P), _b64(salt), _b64(digest)])


# Letters and digits nobody misreads when a supervisor hands a password over (no 0/o,
# 1/l/i): 16 of 30 symbols, about 78 bits.
HANDOVER_ALPHABET = "abcdefghjkmnpqrstuvwxyz2345679"


def new_password() -> str:
    """A temporary password to hand to a staff member, written in groups of four."""
    symbols = "".join(secrets.choice(HANDOVER_ALPHABET) for _ in range(16))
    return "-".join(symbols[i : i + 4] for i in range(0, 16, 4))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
