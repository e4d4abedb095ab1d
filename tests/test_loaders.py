"""Request loaders (resolvers/loaders.py): made on first use, freed without the collector."""

from __future__ import annotations

import gc
import weakref

from hub.settings import load_settings
from hub.store import Store, listing_reads, subjects
from resolvers.loaders import Loaders


def test_loaders_are_made_on_first_use_and_hold_no_cycle_to_their_owner() -> None:
    store = Store(None, load_settings())  # type: ignore[arg-type]  # nothing is loaded here
    loaders = Loaders(store)
    assert set(vars(loaders)) == {"store"}  # a check uses no loader: none is built
    for name in subjects.RELATION_QUERIES:
        assert loaders.relations[name] is loaders.relations[name]
    for label in listing_reads.OWN_LISTINGS:
        assert loaders.own_listings[label] is loaders.own_listings[label]
    made = [
        loaders.enterprise,
        loaders.person,
        loaders.derived_of_person,
        loaders.derived_of_source,
        loaders.listing,
        loaders.objection,
    ]
    assert len({id(m) for m in made}) == len(made)
    gone = weakref.ref(loaders)
    gc.disable()
    try:
        del loaders, made
        assert gone() is None  # freed by reference counting, not left for the collector
    finally:
        gc.enable()
