"""The import tool's CSV: one data file and one header file per label or relationship type.

A row's columns are fixed by the row builders (a record kind's ``props`` always has the same
keys); their Neo4j types come from the values, and a column holding two types is an error of
this module, never silently coerced. Empty cells are absent properties, as ``SET n += props``
leaves a null property absent. Lists become ``;``-separated arrays (the importer's lists are
enum values).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any, TextIO

ARRAY_DELIMITER = ";"


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list | tuple):
        return "string[]"
    if isinstance(value, str):
        return "string"
    raise TypeError(f"no import-tool type for {type(value).__name__}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _iso(value: dt.date) -> str:
    return value.isoformat()


def _joined(value: list[str] | tuple[str, ...]) -> str:
    return ARRAY_DELIMITER.join(value)


# The exact Python types of the values the row builders make: (Neo4j type, cell), the same
# answers as ``_type_of`` and ``_cell`` without their chain of isinstance checks per value.
_FAST: dict[type, tuple[str, Any]] = {
    str: ("string", str),
    bool: ("boolean", lambda v: "true" if v else "false"),
    int: ("long", str),
    float: ("double", repr),
    dt.datetime: ("datetime", _iso),
    dt.date: ("date", _iso),
    list: ("string[]", _joined),
    tuple: ("string[]", _joined),
}


class Table:
    """Rows of one label (or relationship type between two labels), written as they come."""

    def __init__(self, directory: Path, name: str, id_columns: list[str]) -> None:
        self.data_path = directory / f"{name}.csv"
        self.header_path = directory / f"{name}.header.csv"
        self.id_columns = id_columns
        self.names: list[str] | None = None
        self._known: set[str] = set()
        self.types: dict[str, str] = {}
        self.rows = 0
        self._file: TextIO = self.data_path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)

    def add(self, ids: list[str], props: dict[str, Any]) -> None:
        if self.names is None:
            self.names = list(props)
            self._known = set(self.names)
        elif not self._known.issuperset(props):
            raise ValueError(f"{self.data_path.name}: columns {props.keys() - self._known}")
        row = [*ids]
        types = self.types
        for name in self.names:
            value = props.get(name)
            if value is None:
                row.append("")
                continue
            fast = _FAST.get(type(value))
            kind = _type_of(value) if fast is None else fast[0]
            if types.get(name) != kind and types.setdefault(name, kind) != kind:
                raise ValueError(f"{self.data_path.name}: {name} is {self.types[name]} and {kind}")
            row.append(_cell(value) if fast is None else fast[1](value))
        self._writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self._file.close()
        names = self.names or []
        head = self.id_columns + [f"{n}:{self.types.get(n, 'string')}" for n in names]
        with self.header_path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerow(head)

    @property
    def files(self) -> str:
        return f"{self.header_path},{self.data_path}"


class Tables:
    """Every CSV file of one bulk load; nodes are deduplicated by key (the first row stays,
    as a MERGE's ON CREATE keeps the first writer's properties)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.nodes: dict[str, Table] = {}
        self.rels: dict[tuple[str, str, str], Table] = {}
        self._seen: dict[str, set[str]] = {}

    def node(self, label: str, key_name: str, key: str, props: dict[str, Any]) -> None:
        seen = self._seen.setdefault(label, set())
        if key in seen:
            return
        seen.add(key)
        table = self.nodes.get(label)
        if table is None:
            table = Table(self.directory, label, [f"{key_name}:ID({label})"])
            self.nodes[label] = table
        table.add([key], props)

    def new_node(self, label: str, key_name: str, key: str, props: dict[str, Any]) -> None:
        """A node whose key the caller knows to be new: no set of keys is kept for it."""
        table = self.nodes.get(label)
        if table is None:
            table = Table(self.directory, label, [f"{key_name}:ID({label})"])
            self.nodes[label] = table
        table.add([key], props)

    def rel(
        self, rel_type: str, start: tuple[str, str], end: tuple[str, str], props: dict[str, Any]
    ) -> None:
        spec = (rel_type, start[0], end[0])
        table = self.rels.get(spec)
        if table is None:
            table = Table(
                self.directory,
                f"{rel_type}.{start[0]}.{end[0]}",
                [f":START_ID({start[0]})", f":END_ID({end[0]})"],
            )
            self.rels[spec] = table
        table.add([start[1], end[1]], props)

    def close(self) -> list[str]:
        """Closes the files; the import tool's arguments for them."""
        arguments = []
        for label, table in self.nodes.items():
            table.close()
            arguments.append(f"--nodes={label}={table.files}")
        for (rel_type, _, _), table in self.rels.items():
            table.close()
            arguments.append(f"--relationships={rel_type}={table.files}")
        return arguments

    @property
    def counts(self) -> tuple[int, int]:
        return (
            sum(t.rows for t in self.nodes.values()),
            sum(t.rows for t in self.rels.values()),
        )
