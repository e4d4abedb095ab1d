"""One DataLoader per access path, created per request (no N+1 across nested fields)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from strawberry.dataloader import DataLoader

from hub.store import Store
from hub.store import listing_reads as lq
from hub.store import subjects as q


class Loaders:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.enterprise = DataLoader[str, dict[str, Any] | None](self._enterprises)
        self.person = DataLoader[str, dict[str, Any] | None](self._persons)
        self.relations: dict[str, DataLoader[str, list[dict[str, Any]]]] = {
            which: DataLoader[str, list[dict[str, Any]]](self._relations(which))
            for which in q.RELATION_QUERIES
        }
        # Listings: own listings per subject label, derived entries per person and per source.
        self.own_listings: dict[str, DataLoader[str, list[dict[str, Any]]]] = {
            label: DataLoader[str, list[dict[str, Any]]](self._own_listings(label))
            for label in lq.OWN_LISTINGS
        }
        self.derived_of_person = DataLoader[str, list[dict[str, Any]]](
            self._grouped(lq.derived_of_persons)
        )
        self.derived_of_source = DataLoader[str, list[dict[str, Any]]](
            self._grouped(lq.derived_of_sources)
        )
        self.listing = DataLoader[str, dict[str, Any] | None](self._single(lq.listings_by_id))
        self.objection = DataLoader[str, dict[str, Any] | None](self._single(lq.objections_by_id))

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
