"""Jinja2 templates of the front ends (web/templates/<front end>/), autoescaped.

Copy is in the templates; Python gives them data and these few formatting filters only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from hub.importer.reason_text import for_people
from web.assets import PINNED, STATIC, asset_url, static_url

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
        # Templates change with a deployment only: no stat of the file on every render, and
        # version() below hashes exactly what is rendered.
        auto_reload=False,
    )
    env.filters["day"] = iso_day
    # An importer reason in Chinese (hub/importer/reasons_zh.toml), else as the importer wrote it.
    env.filters["reason_zh"] = for_people
    env.globals["asset_url"] = asset_url
    env.globals["static_url"] = static_url
    return env


def render(front_end: str, name: str, **data: Any) -> str:
    return environment(front_end).get_template(name).render(**data)


@cache
def version(front_end: str) -> bytes:
    """A digest of everything a page of ``front_end`` is made of besides its data: its
    templates, the static files and the pinned packages (their URLs are in the pages). Read
    once per process, as the templates are (``auto_reload=False``)."""
    digest = hashlib.sha256(json.dumps(PINNED, sort_keys=True).encode())
    for folder in (TEMPLATES / front_end, STATIC):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.digest()
