"""Jinja2 templates of the front ends (web/templates/<front end>/), autoescaped.

Copy is in the templates; Python gives them data and these few formatting filters only.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hub.importer.reason_text import for_people
from web.assets import asset_url, static_url

TEMPLATES = Path(__file__).parent / "templates"


def iso_day(value: Any) -> str:
    """A GraphQL Date (ISO text) or date as yyyy-mm-dd; empty for null (the template says
    "— —")."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


@cache
def environment(front_end: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES / front_end),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.filters["day"] = iso_day
    # An importer reason in Chinese (hub/importer/reasons_zh.toml), else as the importer wrote it.
    env.filters["reason_zh"] = for_people
    env.globals["asset_url"] = asset_url
    env.globals["static_url"] = static_url
    return env


def render(front_end: str, name: str, **data: Any) -> str:
    return environment(front_end).get_template(name).render(**data)
