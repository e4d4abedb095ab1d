"""One DataLoader per access path per request (no N+1 across nested fields), made on first use.

Each load is one statement, run as an auto-commit read (Store.read_statements: no BEGIN and
COMMIT round trips).

The load functions close over the store only, never over the Loaders object: a loader that
referred back to its owner made a reference cycle per request, which only the garbage
collector frees (bench/check_gc.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from hub.store import Store, commitments, listing_reads, objection_changes, subjects
from hub.store.listing_reads import DerivedEntryRow, ListingRow, ObjectionRow
from hub.store.subjects import EnterpriseRow, PersonRow

Load = Callable[[list[str]], Any]


class _ByName(dict[str, DataLoader[str, Any]]):
    """Loaders keyed by name, each made on first use."""

    def __init__(self, make: Callable[[str], Load], names: Iterable[str]) -> None:
        super().__init__()
        self._make = make
        self._names = frozenset(names)

    def __missing__(self, name: str) -> DataLoader[str, Any]:
        if name not in self._names:
            raise KeyError(name)
        loader: DataLoader[str, Any] = DataLoader(load_fn=self._make(name))
        self[name] = loader
        return loader


class Loaders:
    """Made per request; each loader is built on first use (most requests use none or one)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @cached_property
    def relations(self) -> _ByName:
        store = self.store  # not self: the loaders would hold a cycle back to their owner
        return _ByName(
            lambda which: _paired(store, subjects.relations, which), subjects.RELATION_QUERIES
        )

    @cached_property
    def own_listings(self) -> _ByName:
        """Own listings per subject label."""
        store = self.store
        return _ByName(
            lambda label: _paired(store, listing_reads.own_listings, label),
            listing_reads.OWN_LISTINGS,
        )

    @cached_property
    def own_listing_states(self) -> _ByName:
        """Own listings per subject label, with their objections only (their states)."""
        store = self.store
        return _ByName(
            lambda label: _paired(store, listing_reads.own_listing_states, label),
            listing_reads.OWN_LISTING_STATES,
        )

    @cached_property
    def commitments(self) -> _ByName:
        """Commitments made by a subject, per subject label (every one: filtered by reader)."""
        store = self.store
        return _ByName(
            lambda label: _paired(store, commitments.commitments_of, label),
            commitments.COMMITMENTS_OF,
        )

    @cached_property
    def voluntary(self) -> _ByName:
        """Voluntary information about a subject, per subject label (filtered by reader)."""
        store = self.store
        return _ByName(
            lambda label: _paired(store, commitments.voluntary_of, label),
            commitments.VOLUNTARY_OF,
        )

    @cached_property
    def enterprise(self) -> DataLoader[str, EnterpriseRow | None]:
        return DataLoader(load_fn=_enterprises(self.store))

    @cached_property
    def person(self) -> DataLoader[str, PersonRow | None]:
        return DataLoader(load_fn=_persons(self.store))

    @cached_property
    def derived_of_person(self) -> DataLoader[str, list[tuple[DerivedEntryRow, ListingRow]]]:
        """A person's derived entries, each with its source listing."""
        return DataLoader(load_fn=_paired(self.store, listing_reads.derived_of_persons))

    @cached_property
    def derived_of_source(self) -> DataLoader[str, list[tuple[DerivedEntryRow, PersonRow]]]:
        """The derived entries of a source listing, each with whose it is."""
        return DataLoader(load_fn=_paired(self.store, listing_reads.derived_of_sources))

    @cached_property
    def listing(self) -> DataLoader[str, ListingRow | None]:
        return DataLoader(load_fn=_single(self.store, listing_reads.listings_by_id))

    @cached_property
    def objection(self) -> DataLoader[str, ObjectionRow | None]:
        return DataLoader(load_fn=_single(self.store, listing_reads.objections_by_id))

    @cached_property
    def objections_of_action(self) -> DataLoader[str, list[ObjectionRow]]:
        return DataLoader(load_fn=_paired(self.store, objection_changes.objections_of_actions))


def _by_key(
    keys: list[str], rows: list[dict[str, Any]], value: Callable[[dict[str, Any]], Any]
) -> list[list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row["key"]].append(value(row))
    return [grouped.get(k, []) for k in keys]


def _grouped(
    store: Store, fetch: Any, *args: Any, value: Callable[[dict[str, Any]], Any] = lambda r: r
) -> Load:
    """Rows of ``fetch(*args, keys)`` grouped by their ``key``, in the order of the keys."""

    async def load(keys: list[str]) -> list[list[Any]]:
        rows: list[dict[str, Any]] = await store.read_statements(fetch, *(*args, list(keys)))
        return _by_key(keys, rows, value)

    return load


def _persons(store: Store) -> Callable[[list[str]], Awaitable[list[PersonRow | None]]]:
    async def load(keys: list[str]) -> list[PersonRow | None]:
        found = {row.id_number: row for row in await store.read_statements(subjects.persons, keys)}
        return [found.get(k) for k in keys]

    return load


def _paired(store: Store, fetch: Any, *args: Any) -> Load:
    """The (key, value) pairs of ``fetch(*args, keys)`` (a typed read of the store) grouped by
    key, in the order of the keys."""

    async def load(keys: list[str]) -> list[list[Any]]:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for key, value in await store.read_statements(fetch, *(*args, list(keys))):
            grouped[key].append(value)
        return [grouped.get(k, []) for k in keys]

    return load


def _single(store: Store, fetch: Any) -> Load:
    """The value of each key in the (key, value) pairs of ``fetch(keys)``, or None."""

    async def load(keys: list[str]) -> list[Any]:
        found = dict(await store.read_statements(fetch, list(keys)))
        return [found.get(k) for k in keys]

    return load


def _enterprises(store: Store) -> Callable[[list[str]], Awaitable[list[EnterpriseRow | None]]]:
    async def load(keys: list[str]) -> list[EnterpriseRow | None]:
        found = {row.uscc: row for row in await store.read_statements(subjects.enterprises, keys)}
        return [found.get(k) for k in keys]

    return load
