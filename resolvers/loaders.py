"""One DataLoader per access path per request (no N+1 across nested fields), made on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from hub.store import Store
from hub.store import listing_reads as lq
from hub.store import subjects as q


class _ByName(dict[str, DataLoader[str, Any]]):
    """Loaders keyed by name, each made on first use."""

    def __init__(self, make: Callable[[str], Any], names: Iterable[str]) -> None:
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
        self.relations = _ByName(self._relations, q.RELATION_QUERIES)
        # Listings: own listings per subject label, derived entries per person and per source.
        self.own_listings = _ByName(self._own_listings, lq.OWN_LISTINGS)

    @cached_property
    def enterprise(self) -> DataLoader[str, dict[str, Any] | None]:
        return DataLoader(load_fn=self._enterprises)

    @cached_property
    def person(self) -> DataLoader[str, dict[str, Any] | None]:
        return DataLoader(load_fn=self._persons)

    @cached_property
    def derived_of_person(self) -> DataLoader[str, list[dict[str, Any]]]:
        return DataLoader(load_fn=self._grouped(lq.derived_of_persons))

    @cached_property
    def derived_of_source(self) -> DataLoader[str, list[dict[str, Any]]]:
        return DataLoader(load_fn=self._grouped(lq.derived_of_sources))

    @cached_property
    def listing(self) -> DataLoader[str, dict[str, Any] | None]:
        return DataLoader(load_fn=self._single(lq.listings_by_id))

    @cached_property
    def objection(self) -> DataLoader[str, dict[str, Any] | None]:
        return DataLoader(load_fn=self._single(lq.objections_by_id))

    async def _enterprises(self, keys: list[str]) -> list[dict[str, Any] | None]:
        rows = await self.store.read(q.enterprises, list(keys))
        found = {row["uscc"]: row for row in rows}
        return [found.get(k) for k in keys]

    async def _persons(self, keys: list[str]) -> list[dict[str, Any] | None]:
        rows = await self.store.read(q.persons, list(keys))
        found = {row["idNumber"]: row for row in rows}
        return [found.get(k) for k in keys]

    def _relations(self, which: str) -> Any:
        async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
            rows = await self.store.read(q.relations, which, list(keys))
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                grouped[row["key"]].append(row)
            return [grouped.get(k, []) for k in keys]

        return load

    def _own_listings(self, label: str) -> Any:
        async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
            rows = await self.store.read(lq.own_listings, label, list(keys))
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                grouped[row["key"]].append(row["l"])
            return [grouped.get(k, []) for k in keys]

        return load

    def _grouped(self, fetch: Any) -> Any:
        async def load(keys: list[str]) -> list[list[dict[str, Any]]]:
            rows = await self.store.read(fetch, list(keys))
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                grouped[row["key"]].append(row)
            return [grouped.get(k, []) for k in keys]

        return load

    def _single(self, fetch: Any) -> Any:
        async def load(keys: list[str]) -> list[dict[str, Any] | None]:
            rows = await self.store.read(fetch, list(keys))
            found = {row["key"]: row for row in rows}
            return [found.get(k) for k in keys]

        return load
