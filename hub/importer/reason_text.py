"""The importer's reasons in Chinese, for people: the rules of hub/importer/reasons_zh.toml
(one place for them, beside the English the importer words), applied to a reason as the
report carries it. The API's report keeps the English; the workbench shows this."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

RULES_FILE = Path(__file__).with_name("reasons_zh.toml")


@dataclass(frozen=True)
class Rule:
    match: re.Pattern[str]
    zh: str


@functools.cache
def rules() -> tuple[Rule, ...]:
    with RULES_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    return tuple(Rule(re.compile(r["match"], re.S), r["zh"]) for r in raw["rule"])


def in_chinese(reason: str) -> str | None:
    """The reason in Chinese, or None when no rule knows it. Parts a rule quotes are kept as
    written, except a part named ``reason``, itself translated (or kept when unknown)."""
    for rule in rules():
        found = rule.match.fullmatch(reason)
        if found is None:
            continue
        parts = {name: value or "" for name, value in found.groupdict().items()}
        if "reason" in parts:
            parts["reason"] = in_chinese(parts["reason"]) or parts["reason"]
        return rule.zh.format_map(parts)
    return None


def for_people(reason: str) -> str:
    """The reason in Chinese where a rule knows it, else as the importer worded it."""
    return in_chinese(reason) or reason
