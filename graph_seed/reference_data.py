"""Loads the reference data files of graph_seed/: listing domains, the measure catalogue and the
holidays of the years the official calendar package does not know."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SEED_DIR = Path(__file__).parent
DOMAINS_FILE = SEED_DIR / "domains.toml"
MEASURES_FILE = SEED_DIR / "measures.toml"
HOLIDAYS_FILE = SEED_DIR / "holidays.toml"


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

    The file's top-level ``edition`` and ``editionDate`` are the defaults of every entry.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    edition, edition_date = catalogue_edition(path)
    entries = []
    for raw in data.get("measure", []):
        record: dict[str, Any] = {"kind": "measure", **raw}
        if edition is not None:
            record.setdefault("edition", edition)
        if edition_date is not None:
            record.setdefault("editionDate", edition_date)
        if isinstance(record.get("editionDate"), dt.date):
            record["editionDate"] = record["editionDate"].isoformat()
        entries.append(record)
    return entries


def catalogue_edition(path: Path = MEASURES_FILE) -> tuple[str | None, dt.date | None]:
    """The catalogue file's edition and the date it applies from (``editionDate``, optional)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    day = data.get("editionDate")
    if day is not None and not isinstance(day, dt.date):
        raise ValueError(f"{path.name}: editionDate {day!r} is not a date (write 2027-01-01)")
    return data.get("edition"), day


@dataclass(frozen=True)
class HolidayYears:
    """The days of graph_seed/holidays.toml: for years the calendar package does not know."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    official_years: frozenset[int] = frozenset()  # entered in full from the State Council notice


@cache
def load_holidays(path: Path = HOLIDAYS_FILE) -> HolidayYears:
    """Read once per process. Every date must fall in its entry's year, a year appear once and a
    day be either a holiday or a working day, or the file is refused with the reason."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    years: set[int] = set()
    official: set[int] = set()
    for raw in data.get("year", []):
        year = int(raw["year"])
        if year in years:
            raise ValueError(f"{path.name}: year {year} appears twice")
        years.add(year)
        if raw.get("official", False):
            official.add(year)
        for name, bucket in (("holidays", holidays), ("workdays", workdays)):
            for day in raw.get(name, []):
                if not isinstance(day, dt.date) or day.year != year:
                    raise ValueError(
                        f"{path.name}: year {year}: {name} has {day!r}, not a date of {year}"
                    )
                bucket.add(day)
    both = holidays & workdays
    if both:
        raise ValueError(
            f"{path.name}: {min(both).isoformat()} is both a holiday and a working day"
        )
    return HolidayYears(frozenset(holidays), frozenset(workdays), frozenset(official))
