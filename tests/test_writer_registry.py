"""The importer's writers, declared once (hub/importer/registry.py): the order a commit unit
runs them respects what each one needs, and every record model has exactly one writer."""

from __future__ import annotations

import dataclasses
import importlib
import typing

from hub.importer import registry
from hub.importer.kinds import KINDS
from hub.importer.listing_records import ListingRecord
from hub.importer.records import Record


def _models() -> set[type[Record]]:
    """Every record model a line or a front end can produce: a model with a kind of its own
    (``kind: Literal[...]``) or one that no other model extends (the bases are left out)."""
    found: set[type[Record]] = set()
    todo = list(Record.__subclasses__())
    while todo:
        model = todo.pop()
        todo += model.__subclasses__()
        own_kind = typing.get_origin(model.model_fields["kind"].annotation) is typing.Literal
        if own_kind or not model.__subclasses__():
            found.add(model)
    return found


def test_the_declared_order_respects_every_need() -> None:
    assert registry.order_problems(registry.WRITE_ORDER) == []


def test_subjects_before_ties_before_actions_before_listings() -> None:
    place = {writer.kind: registry.rank(writer) for writer in registry.WRITE_ORDER}
    assert place["enterprise"] < place["role"] < place["action"] < place["listing"]
    assert place["person"] < place["shareholding"] < place["courtDefault"]
    assert place["commitment"] < place["commitmentFulfilment"]


def test_an_order_that_breaks_a_need_is_told() -> None:
    order = list(registry.WRITE_ORDER)
    order.remove(registry.LISTINGS)
    order.insert(0, registry.LISTINGS)
    problems = registry.order_problems(order)
    assert "listing runs before role, which it needs" in problems
    assert "listing runs before shareholding, which it needs" in problems
    typo = dataclasses.replace(registry.ROLES, needs=("persn",))
    assert registry.order_problems([typo]) == ["role needs persn, which is no writer"]
    twice = [registry.DEPARTMENTS, dataclasses.replace(registry.MEASURES, kind="department")]
    assert registry.order_problems(twice) == ["department is declared twice"]
    shared = dataclasses.replace(registry.EVALUATIONS, kind="rating", records=(ListingRecord,))
    problems = registry.order_problems([*registry.WRITE_ORDER, shared])
    assert problems == ["ListingRecord has 2 writers (listing, rating)"]


def test_every_record_model_has_exactly_one_writer() -> None:
    importlib.import_module("hub.importer.shuanggongshi.rows")  # the 双公示 rows' models
    writers_of = {
        model: [w.kind for w in registry.WRITE_ORDER if model in w.records] for model in _models()
    }
    assert {m.__name__: k for m, k in writers_of.items() if len(k) != 1} == {}
    assert set(registry.WRITER_OF) == set(writers_of)
    assert set(KINDS.values()) <= set(registry.WRITER_OF)


def test_every_kind_of_line_is_named_by_its_model() -> None:
    for kind, model in KINDS.items():
        annotation = model.model_fields["kind"].annotation
        assert typing.get_args(annotation) == (kind,), kind
