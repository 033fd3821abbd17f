"""Secrets the portal must read back, kept sealed so that the database alone opens none of them.

A staff member's authenticator secret is read back to check each code, so it cannot be hashed as passwords and
codes are. It is sealed with Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under a key derived from
the deployment's secret (PORTAL_SECRET) with HKDF-SHA256: a copied database or backup mints no codes without
that secret, and a sealed value that was altered does not open.
"""

from __future__ import annotations

import base64
import re

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PURPOSE = b'kinroll staff authenticator secrets v1'  # HKDF's info: this key opens nothing else
_CLEAR_SECRET = re.compile(r'[A-Z2-7]+=*')  # base32, as authenticator secrets were kept before 0008

_fernet = Fernet(Fernet.generate_key())  # this process's own until the composition root hands over the key


class SealedElsewhere(Exception):
    """Sealed under another deployment secret, or altered: it does not open with this one."""


def use_key(secret: str) -> None:
    """Derive the sealing key from the deployment's secret. Every process of one portal derives the same."""
    global _fernet
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret.encode())
    _fernet = Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet.encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet.decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise SealedElsewhere() from exc


def is_clear(value: str) -> bool:
    """A secret kept in clear: base32 letters and digits. A sealed one always starts with Fernet's lower-case
    'g', so the two are never mistaken for each other."""
    return bool(_CLEAR_SECRET.fullmatch(value))
