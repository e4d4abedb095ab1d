"""`credit-hub migrate`: constraints and indexes from graph_seed/model.toml, reference data."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from graph_seed.model import MODEL_FILE, load_model
from hub.auth import SYSTEM
from hub.importer.runner import ImportReport, run_import
from hub.measure_loader import load_catalogue
from hub.store import Store
from hub.store.schema_ops import apply_schema, get_version, relink, set_version

SEED_DIR = MODEL_FILE.parent
DEPARTMENTS_FILE = SEED_DIR / "departments.toml"
SYSTEM_DEPARTMENT = "SYSTEM"


def reference_files() -> list[Path]:
    return sorted(p for p in SEED_DIR.glob("*.toml"))


def model_fingerprint() -> str:
    """Changes whenever the model or the reference data changes."""
    digest = hashlib.sha256()
    for path in reference_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def department_lines() -> list[bytes]:
    data = tomllib.loads(DEPARTMENTS_FILE.read_text(encoding="utf-8"))
    return [
        orjson.dumps(
            {
                "kind": "department",
                "code": d["code"],
                "name": d["name"],
                "departmentKind": d.get("kind", "GOVERNMENT"),
            }
        )
        for d in data["department"]
    ]


async def reload_reference_data(store: Store) -> list[ImportReport]:
    """Departments and the other reference data of graph_seed/ (idempotent)."""
    reports = [
        await run_import(
            store, department_lines(), actor=SYSTEM, department=SYSTEM_DEPARTMENT, source="migrate"
        )
    ]
    for extra in MIGRATION_STEPS:
        reports.append(await extra(store))
    return reports


async def migrate(store: Store) -> list[ImportReport]:
    await apply_schema(store, load_model().schema_statements())
    await relink(store)
    reports = await reload_reference_data(store)
    await store.write(set_version, model_fingerprint())
    return reports


async def is_migrated(store: Store) -> bool:
    return await store.read(get_version) == model_fingerprint()


# Further reference-data loaders append themselves here.
MIGRATION_STEPS: list[Callable[[Store], Awaitable[ImportReport]]] = []
MIGRATION_STEPS.append(load_catalogue)  # graph_seed/measures.toml (hub/measure_loader.py)
