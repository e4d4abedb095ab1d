"""The importer's reasons in Chinese (hub/importer/reasons_zh.toml, hub/importer/reason_text.py):
pure, on reasons as the importer words them, and on the reasons its parser gives real bad
lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import orjson
import pytest

from hub.importer.parse import LineError, parse_line
from hub.importer.reason_text import for_people, in_chinese, rules
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def reasons_of(line: bytes) -> list[str]:
    parsed = parse_line(1, line, 1_000_000)
    if isinstance(parsed, LineError):
        return [parsed.reason]
    assert isinstance(parsed, list), parsed  # a bad line, not a record
    return [error.reason for error in parsed]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("required field is missing", "缺少必填字段"),
        ("unknown field", "不认识的字段"),
        (
            "invalid USCC: check character is '3', expected '7'",
            "统一社会信用代码无效：校验码为 '3'，应为 '7'",
        ),
        (
            "invalid ID number: birth date (characters 7-14) is not a real date",
            "身份证号码无效：出生日期（第 7-14 位）不是真实存在的日期",
        ),
        ("2024-02-30 is not a real date", "2024-02-30 不是真实存在的日期"),
        ("required column is empty", "必填列为空"),
        (
            "unknown 当前状态 '7' (0 正常, 1 撤销, 2 异议, 3 其他)",
            "当前状态 '7' 不认识（0 正常、1 撤销、2 异议、3 其他）",
        ),
        ("give exactly one of uscc or idNumber", "uscc 与 idNumber 须且只须填写一个"),
        (
            "liable person 2: invalid ID number: must be 18 characters, got 5",
            "第 2 名责任人：身份证号码无效：应为 18 位，实为 5 位",
        ),
    ],
)
def test_known_reasons_read_in_chinese(english: str, chinese: str) -> None:
    assert in_chinese(english) == chinese


def test_an_unknown_reason_is_kept_as_the_importer_worded_it() -> None:
    said = "something the importer says for the first time"
    assert in_chinese(said) is None and for_people(said) == said
    inner = "invalid USCC: a reason nobody knows"
    assert for_people(inner) == "统一社会信用代码无效：a reason nobody knows"


def test_the_reasons_of_everyday_bad_lines_are_all_in_chinese() -> None:
    """Lines uploads get wrong, through the importer's own parser: every reason it words has a
    Chinese rule."""
    good = f.uscc()
    wrong_check = good[:17] + ("1" if good[17] == "0" else "0")
    records = [
        {"kind": "enterprise", "uscc": wrong_check, "name": "坏代码"},
        {"kind": "enterprise", "uscc": good},
        {"kind": "enterprise", "uscc": good, "name": "x", "colour": 1},
        {"kind": "enterprise", "uscc": good, "name": "x", "registeredOn": "2024-02-30"},
        {"kind": "enterprise", "uscc": good, "name": "x", "registeredOn": "30/02/2024"},
        {"kind": "enterprise", "uscc": 42, "name": "x"},
        {"kind": "person", "idNumber": "12345", "name": "x"},
        {"kind": "person", "idNumber": f.id_number("1979-09-09"), "name": "\u200b"},
        {"kind": "nothing"},
        {"name": "no kind"},
    ]
    lines = [orjson.dumps(record) for record in records] + [b"not json", b"[1, 2]"]
    for line in lines:
        for reason in reasons_of(line):
            assert in_chinese(reason) is not None, reason


def test_every_rule_uses_each_part_it_quotes() -> None:
    for rule in rules():
        names = set(rule.match.groupindex)
        rule.zh.format_map(dict.fromkeys(names, "x"))  # no {name} the pattern lacks
        assert all("{" + name + "}" in rule.zh for name in names), rule.match.pattern


def _worded(node: ast.expr) -> str | None:
    """The text of a reason as the importer words it, every part it fills in as a sample."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.sub(r"\{\w+\}", "X1", node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value)
            if isinstance(part, ast.Constant)
            else "'X1'"
            if isinstance(part, ast.FormattedValue) and part.conversion == ord("r")
            else "1"
            for part in node.values
        )
    return None


def test_every_reason_the_importer_words_has_a_chinese_rule() -> None:
    """Each message of a PydanticCustomError or a 双公示 CellError in the importer's source,
    its parts filled in: a rule knows it, so the desk never shows the importer's English."""
    worded = []
    for path in sorted((ROOT / "hub" / "importer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"PydanticCustomError": 1, "CellError": 0}.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            text = _worded(node.args[position])
            if text is not None:
                worded.append((path.name, text))
    assert len(worded) > 40
    missing = [(name, text) for name, text in worded if in_chinese(text) is None]
    assert missing == [], "\n".join(f"{n}: {t}" for n, t in missing)
