"""Small builders for story graphs: valid identifiers and exchange-format records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hub.identifiers import make_id_number, make_uscc

_counter = iter(range(1, 10_000_000))


def uscc(authority: str = "9", category: str = "1", division: str = "451031") -> str:
    """A fresh valid USCC."""
    n = next(_counter)
    return make_uscc(authority, category, division, f"MA5{n:06d}")


def id_number(born: str = "1980-05-17", division: str = "451031") -> str:
    """A fresh valid ID number (451031 issued to someone born before 2002 on purpose)."""
    n = next(_counter) % 999 + 1
    return make_id_number(division, dt.date.fromisoformat(born), n)


def enterprise(code: str, name: str = "隆林测试有限公司", **extra: Any) -> dict[str, Any]:
    return {"kind": "enterprise", "uscc": code, "name": name, "registeredOn": "2010-01-01", **extra}


def person(number: str, name: str = "韦测试", **extra: Any) -> dict[str, Any]:
    return {"kind": "person", "idNumber": number, "name": name, **extra}


def role(
    number: str,
    code: str,
    name: str,
    start: str | None = "2010-01-01",
    end: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": "role",
        "idNumber": number,
        "uscc": code,
        "role": name,
        "from": start,
        "to": end,
        **extra,
    }


def share(
    holder: dict[str, str],
    code: str,
    value: float,
    start: str | None = "2010-01-01",
    end: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": "shareholding",
        "holder": holder,
        "uscc": code,
        "share": value,
        "from": start,
        "to": end,
    }


def action(
    ident: str,
    subject: dict[str, str],
    kind: str = "LICENSE",
    department: str = "AMR",
    decided: str = "2024-03-01",
    **extra: Any,
) -> dict[str, Any]:
    record = {
        "kind": "action",
        "id": ident,
        "subject": subject,
        "type": kind,
        "department": department,
        "decisionDate": decided,
        "title": "决定书",
        **extra,
    }
    if kind == "PENALTY":
        record.setdefault("severity", "GENERAL")
    return record


def listing(
    ident: str,
    subject: dict[str, str],
    domain: str = "ENVIRONMENT",
    department: str = "ECOENV",
    start: str = "2024-03-01",
    kind: str = "BLACK",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": "listing",
        "id": ident,
        "subject": subject,
        "list": kind,
        "domain": domain,
        "department": department,
        "basis": "《环境保护法》第六十三条; 隆林环罚〔2024〕12号",
        "effectiveFrom": start,
        **extra,
    }


def court_default(
    ident: str,
    subject: dict[str, str],
    ground: int = 2,
    start: str = "2024-03-01",
    court: str = "COURT",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": "courtDefault",
        "id": ident,
        "subject": subject,
        "court": court,
        "caseNumber": f"(2024)桂1031执{ident[-3:]}号",
        "ground": ground,
        "effectiveFrom": start,
        **extra,
    }


def loan_default(
    ident: str,
    subject: dict[str, str],
    overdue_since: str = "2023-09-01",
    reported: str = "2024-02-01",
    confirmed: str | None = "2024-03-01",
    bank: str = "ABC",
    regulator: str = "NFRA",
    **extra: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "loanDefault",
        "id": ident,
        "subject": subject,
        "bank": bank,
        "principalOverdueSince": overdue_since,
        "reportedOn": reported,
        **extra,
    }
    if confirmed is not None:
        record |= {"confirmedBy": regulator, "confirmedOn": confirmed}
    return record
