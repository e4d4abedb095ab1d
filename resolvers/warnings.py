"""An EARLY_WARNING event's reasons as its reader may see them (docs/feeds.md).

The event stores its reasons as JSON (``detail``, written by hub/store/warnings.py): per reason
its kind and facts, and for a related party's listing the paths in the investigation's shape.
The store's read decodes them as typed rows (hub/store/events.py ``event_row``: a
``WarningRow`` of ``WarningReasonRow``s); here the listed party's ID number and any ID number
inside a listing id are masked unless the role sees personal data (an unmasked person is
audited as every read of one is). The paths keep their rows: the schema draws them with the
investigation's own code (schema/links.py ``paths_of``), which masks and audits their persons.
"""

from __future__ import annotations

from dataclasses import replace

from hub.identifiers import mask_id_number, mask_id_numbers_in
from hub.store.event_reads import WarningRow
from hub.store.subjects import PersonRow
from resolvers.context import HubContext


def warning_of(ctx: HubContext, warning: WarningRow | None) -> WarningRow | None:
    """An EARLY_WARNING event's warning as this caller sees it; None for any other event."""
    if warning is None:
        return None
    full = ctx.actor.sees_personal_data
    reasons = []
    for reason in warning.reasons:
        listed, listing_id = reason.listed, reason.listing_id
        if isinstance(listed, PersonRow):
            if full:
                ctx.audited.append(("Person", listed.id_number))
            else:
                listed = replace(listed, id_number=mask_id_number(listed.id_number))
        if listing_id and not full:
            listing_id = mask_id_numbers_in(listing_id)
        reasons.append(replace(reason, listed=listed, listing_id=listing_id))
    return replace(warning, reasons=tuple(reasons))
