"""Loads the reference data files of graph_seed/: listing domains and the measure catalogue."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SEED_DIR = Path(__file__).parent
DOMAINS_FILE = SEED_DIR / "domains.toml"
MEASURES_FILE = SEED_DIR / "measures.toml"


@dataclass(frozen=True)
class DomainSpec:
    code: str
    name: str
    sources: tuple[str, ...] = ()  # empty: any source; else reserved for these listing sources
    # False: a listing of this domain is not repaired before its maximum publicity period
    # (DESIGN: food/drug, environment, work-safety and fire penalties are not repairable early)
    early_repair: bool = True


@cache
def load_domains(path: Path = DOMAINS_FILE) -> dict[str, DomainSpec]:
    """Domain code -> spec. Read once per process (an edit needs a restart and a migrate)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, DomainSpec] = {}
    for raw in data.get("domain", []):
        code = raw["code"]
        if code in out:
            raise ValueError(f"{path.name}: domain {code} appears twice")
        out[code] = DomainSpec(
            code, raw["name"], tuple(raw.get("sources", [])), bool(raw.get("earlyRepair", True))
        )
    return out


def load_measure_entries(path: Path = MEASURES_FILE) -> list[dict[str, Any]]:
    """The catalogue's entries as exchange-format records of kind ``measure``.

    The file's top-level ``edition`` is the default of every entry.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    edition = data.get("edition")
    entries = []
    for raw in data.get("measure", []):
        record: dict[str, Any] = {"kind": "measure", **raw}
        if edition is not None:
            record.setdefault("edition", edition)
        entries.append(record)
    return entries
