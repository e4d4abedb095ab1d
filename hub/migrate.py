"""`credit-hub migrate`: constraints and indexes from graph_seed/model.toml, reference data."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from graph_seed.model import MODEL_FILE, GraphModel, load_model
from hub.auth import SYSTEM
from hub.importer.runner import ImportReport, run_import
from hub.importer.writers import SEARCHED
from hub.measure_loader import load_catalogue
from hub.pinyin import pinyin_terms
from hub.store import Store
from hub.store.schema_ops import (
    apply_schema,
    drop_index,
    fulltext_indexes,
    get_version,
    names_without_pinyin,
    relink,
    set_pinyin,
    set_tie_keys,
    set_version,
)

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
    model = load_model()
    await rebuild_changed_fulltext(store, model)
    await apply_schema(store, model.schema_statements())
    await backfill_pinyin(store)
    await backfill_tie_keys(store)
    await relink(store)
    reports = await reload_reference_data(store)
    await store.write(set_version, model_fingerprint())
    return reports


async def is_migrated(store: Store) -> bool:
    return await store.read(get_version) == model_fingerprint()


# Further reference-data loaders append themselves here.
MIGRATION_STEPS: list[Callable[[Store], Awaitable[ImportReport]]] = []
MIGRATION_STEPS.append(load_catalogue)  # graph_seed/measures.toml (hub/measure_loader.py)


async def rebuild_changed_fulltext(store: Store, model: GraphModel) -> None:
    """A full-text index whose labels or properties the model changed is dropped, so that
    ``apply_schema`` creates it anew (CREATE ... IF NOT EXISTS keeps an old definition)."""
    existing = await fulltext_indexes(store)
    for spec in model.fulltext.values():
        found = existing.get(spec.name)
        if found is not None and (
            sorted(found[0]) != sorted(spec.labels) or sorted(found[1]) != sorted(spec.properties)
        ):
            await drop_index(store, spec.name)


PINYIN_BATCH = 5000
TIE_KEY_BATCH = 5000


async def backfill_tie_keys(store: Store) -> int:
    """The tieKey of enterprises stored before the importer wrote it (hub/store/subjects.py
    SEARCH_NAMES); idempotent. Returns how many enterprises got it."""
    done = 0
    while written := await store.write(set_tie_keys, TIE_KEY_BATCH):
        done += written
    return done


async def backfill_pinyin(store: Store) -> int:
    """The pinyin of names stored before the importer wrote it (hub/pinyin.py); idempotent.
    Returns how many nodes got it."""
    done = 0
    for label in SEARCHED:
        while True:
            found = await store.read(names_without_pinyin, label, PINYIN_BATCH)
            if not found:
                break
            rows = [{"key": key, "pinyin": pinyin_terms(name)} for key, name in found]
            await store.write(set_pinyin, label, rows)
            done += len(rows)
    return done
