"""Report numbers and verification codes (pure; randomness passed in).

Number: the issue time in Asia/Shanghai as yyyyMMddHHmmss, then 8 random base-32 characters
(RFC 4648 alphabet A-Z, 2-7), e.g. 20261207143005K7Q2MZ4D. Verification code: 8 characters of
an alphabet without look-alikes (no 0 O 1 I L), printed beside the number; only its hash is
stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER = re.compile(r"\d{14}[A-Z2-7]{8}")
CODE = re.compile(r"[2-9A-HJKMNP-Z]{8}")


def report_number(issued_at: dt.datetime, random: secrets.SystemRandom | None = None) -> str:
    draw = random or secrets.SystemRandom()
    stamp = issued_at.astimezone(ZONE).strftime("%Y%m%d%H%M%S")
    return stamp + "".join(draw.choice(BASE32) for _ in range(8))


def verification_code(random: secrets.SystemRandom | None = None) -> str:
    draw = random or secrets.SystemRandom()
    return "".join(draw.choice(CODE_ALPHABET) for _ in range(8))


def code_hash(number: str, code: str) -> str:
    """The stored form of a code (salted with its number)."""
    return hashlib.sha256(f"{number}:{code.strip().upper()}".encode()).hexdigest()


def number_in(data: bytes) -> str | None:
    """The report number a PDF names in its metadata (Keywords), if any."""
    found = re.search(rb"CreditHubReport:(\d{14}[A-Z2-7]{8})", data)
    return found.group(1).decode() if found else None
