"""Settings: validated at start-up, documented in one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.settings import PREFIX, Settings, load_settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(CREDITHUB_[A-Z0-9_]+)`", text, flags=re.M))
    expected = {PREFIX + name.upper() for name in Settings.model_fields}
    assert documented == expected


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
