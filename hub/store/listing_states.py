"""What a listing's state and a search badge read of it, as a Cypher list (``state_values``):
the text shared by the own-listing-states read (hub/store/listing_reads.py, whose
``state_row`` maps it back) and the search's hits (hub/store/subjects.py), in a module of its
own so that neither imports the other for it."""

from __future__ import annotations

# The parts of ``state_values``, in order: values, then dates, then the objections' periods.
STATE_VALUES = ("id", "list", "domain", "source", "derived")
STATE_DATES = ("effectiveFrom", "expiresOn", "endedOn")


def state_values(v: str) -> str:
    """Cypher: what listing ``v``'s state (hub/rules/listings.py ``state_of``, ``published``)
    and a badge's fields (schema/subjects.py ``LISTING_STATE_FIELDS``) read, as a list (read
    back by ``state_row``): not every stored property with its record times — a court
    listing's basis, case number, fingerprint, batches — which a badge never shows. Dates as
    ISO text: the driver builds each Date in Python, ``date.fromisoformat`` is C."""
    day = "toString({0}.{1})"
    dates = ", ".join(day.format(v, key) for key in STATE_DATES)
    objections = (
        f"[(o:Objection)-[:OBJECTS_TO]->({v}) | [{day.format('o', 'filedOn')}, "
        f"{day.format('o', 'resolvedOn')}]]"
    )
    return f"[{', '.join(f'{v}.{key}' for key in STATE_VALUES)}, {dates}, {objections}]"
