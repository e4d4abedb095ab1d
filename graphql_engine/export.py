"""Exports the SDL to schema/schema.graphql; CI fails when the committed file drifts."""

from __future__ import annotations

from pathlib import Path

from graphql_engine.build import SDL_SCHEMA

SDL_FILE = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def current_sdl() -> str:
    return SDL_SCHEMA.as_str().strip() + "\n"


def export_sdl(path: Path | None = None) -> Path:
    target = path or SDL_FILE
    target.write_text(current_sdl(), encoding="utf-8")
    return target
