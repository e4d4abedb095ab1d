"""Settings: validated at start-up, documented in one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from hub.settings import PREFIX, Settings, load_settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(CREDITHUB_[A-Z0-9_]+)`", text, flags=re.M))
    expected = {PREFIX + name.upper() for name in Settings.model_fields}
    assert documented == expected


def bounds_text(field: FieldInfo) -> str:
    """The numeric bounds of a setting as the table's "allowed" column writes them."""
    found: dict[str, object] = {}
    for item in field.metadata:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(item, name, None) is not None:
                found[name] = getattr(item, name)
    low = f"{found['ge']}" if "ge" in found else None
    if "ge" in found and "le" in found:
        return f"{low}–{found['le']}"
    parts = [f"≥ {found['ge']}"] if "ge" in found else []
    parts += [f"> {found['gt']}"] if "gt" in found else []
    parts += [f"≤ {found['le']}"] if "le" in found else []
    parts += [f"< {found['lt']}"] if "lt" in found else []
    return ", ".join(parts)


def test_the_table_gives_each_setting_its_default_and_bounds() -> None:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `(CREDITHUB_[A-Z0-9_]+)`[^|]* \| `([^`]*)` \| ([^|]*) \|", line)
        if match:
            rows[match.group(1)[len(PREFIX) :].lower()] = (match.group(2), match.group(3).strip())
    assert set(rows) == set(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        default, allowed = rows[name]
        value = field.default
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            assert default == str(getattr(value, "value", value)), name
        expected = bounds_text(field)
        if expected:
            assert allowed == expected, name


def test_every_setting_has_a_comment_in_the_code() -> None:
    source = (Path(__file__).resolve().parent.parent / "hub" / "settings.py").read_text()
    for name in Settings.model_fields:
        assert re.search(rf"# .+\n    {name}:", source), f"{name} has no comment"


def test_bad_values_are_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITHUB_PORT", "99999")
    with pytest.raises(ValidationError, match="port"):
        load_settings()
    monkeypatch.delenv("CREDITHUB_PORT")
    monkeypatch.setenv("CREDITHUB_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError):
        load_settings()
    monkeypatch.delenv("CREDITHUB_TIMEZONE")
    monkeypatch.setenv("CREDITHUB_LOG_LEVEL", "LOUD")
    with pytest.raises(ValidationError, match="log_level"):
        load_settings()
    monkeypatch.setenv("CREDITHUB_LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"


def test_unprefixed_neo4j_variables_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster.example:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pass")
    settings = load_settings()
    assert settings.neo4j_uri == "neo4j://cluster.example:7687"
    assert not settings.embedded
    assert settings.neo4j_password is not None
    assert "s3cret" not in repr(settings)


def test_holiday_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITHUB_EXTRA_HOLIDAYS", "2027-01-01, 2027-02-05")
    assert [d.isoformat() for d in load_settings().extra_holidays] == ["2027-01-01", "2027-02-05"]
