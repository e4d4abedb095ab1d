"""双随机一公开 sampling plans: draw, assign, store; record inspection results (docs/feeds.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

from hub.errors import InvalidInput, NotFound
from hub.identifiers import mask_id_number, mask_id_numbers_in
from hub.policy import sees_unpublished
from hub.rules import sampling
from hub.rules.execution import text_refusal
from hub.store import sampling as store_sampling
from hub.store.sampling import InspectionRow
from resolvers.context import HubContext
from resolvers.subjects import valid_id_number
from resolvers.supervision import own_department

MAX_POOL = 1000
MAX_PER_TARGET = 10


async def create_plan(ctx: HubContext, given: dict[str, Any]) -> dict[str, Any]:
    """Draw and store a plan for the caller's department; the plan as stored."""
    department = own_department(ctx, given.get("department"))
    ratios = {**sampling.DEFAULT_RATIOS, **(given.get("ratios") or {})}
    refusal = sampling.ratios_refusal(ratios)
    if refusal:
        raise InvalidInput(f"ratios: {refusal}", field="ratios")
    per_target = int(given.get("inspectorsPerTarget") or 2)
    if not 1 <= per_target <= MAX_PER_TARGET:
        raise InvalidInput(f"between 1 and {MAX_PER_TARGET}", field="inspectorsPerTarget")
    raw_pool = given.get("inspectors") or []
    if not 1 <= len(raw_pool) <= MAX_POOL:
        raise InvalidInput(f"1 to {MAX_POOL} inspectors", field="inspectors")
    pool = sorted({valid_id_number(p, "inspectors", ctx.today()) for p in raw_pool})
    division = given.get("division")
    if division is not None and not (len(division) == 6 and division.isdigit()):
        raise InvalidInput("division: a 6-digit division code", field="division")
    on: dt.date = given.get("on") or ctx.today()
    seed = int(given["seed"])
    kind = given.get("kind")
    scope = department if given.get("supervisedOnly") else None

    def decide(
        members: list[tuple[str, str | None]], related: dict[str, set[str] | None]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        unknown = [p for p, found in related.items() if found is None]
        if unknown:
            shown = ", ".join(mask_id_number(p) for p in unknown)
            raise NotFound(f"inspectors not in the graph: {shown}", field="inspectors")
        targets, counts = sampling.draw(members, ratios, seed)
        assigned = sampling.assign(
            targets, pool, {p: r or set() for p, r in related.items()}, per_target, seed
        )
        short = {s.target for s in assigned.shortfalls}
        plan = {
            "id": "plan-" + uuid.uuid4().hex[:16],
            "department": department,
            "seed": seed,
            "on": on,
            "kind": kind,
            "division": division,
            "supervisedOnly": scope is not None,
            "ratios": [ratios[t] for t in sampling.TIERS],
            "tierPopulation": [c.population for c in counts],
            "tierDrawn": [c.drawn for c in counts],
            "inspectors": pool,
            "inspectorsPerTarget": per_target,
            "shortfalls": len(short),
            "createdAt": dt.datetime.now(dt.UTC),
            "createdBy": ctx.actor.key_id or "-",
            "requestId": ctx.request_id,
            "sourceDepartment": department,
        }
        rows = [
            {
                "order": n,
                "key": t.key,
                "tier": t.tier,
                "grade": t.grade,
                "inspectors": assigned.inspectors[t.key],
                "shortfall": t.key in short,
            }
            for n, t in enumerate(targets)
        ]
        return plan, rows

    scope_of = store_sampling.Scope(kind, division, scope, on, pool)
    # One transaction reads the whole population and writes every target: over a county it
    # takes the time of an import, so it runs under the import's timeout.
    plan_id = await ctx.store.write_long(store_sampling.create_plan, scope_of, decide)
    return await read_plan(ctx, plan_id)


async def read_plan(ctx: HubContext, plan_id: str) -> dict[str, Any]:
    found = await ctx.store.read(store_sampling.plan, plan_id)
    if found is None:
        raise NotFound(f"sampling plan {plan_id} does not exist", field="id")
    plan = found["plan"]
    if plan["department"] != ctx.actor.department and not ctx.actor.sees_personal_data:
        own_department(ctx, plan["department"])  # refuses another department's plan
    full = ctx.actor.sees_personal_data

    def shown(number: str) -> str:
        return number if full else mask_id_number(number)

    plan["inspectors"] = [shown(i) for i in plan.get("inspectors") or []]
    targets = []
    for row in found["targets"]:
        link = row["t"]
        targets.append(
            {
                "uscc": row["uscc"],
                "name": row.get("name"),
                **link,
                "inspectors": [shown(i) for i in link.get("inspectors") or []],
            }
        )
    return {"plan": plan, "targets": targets}


async def record_result(
    ctx: HubContext,
    plan_id: str,
    uscc: str,
    result: str,
    on: dt.date,
    note: str | None,
) -> dict[str, Any]:
    for value, field, required in ((result, "result", True), (note, "note", False)):
        refused = text_refusal(value, field, required)
        if refused:
            raise InvalidInput(f"{refused[0]}: {refused[1]}", field=refused[0])
    if on > ctx.today():
        raise InvalidInput(f"inspectedOn: is after today ({ctx.today()})", field="inspectedOn")

    def check(found: dict[str, Any]) -> None:
        own_department(ctx, found["department"])  # FORBIDDEN for another department's plan

    params = {
        "id": plan_id,
        "uscc": uscc.strip().upper(),
        "result": result.strip(),
        "on": on,
        "note": (note or "").strip() or None,
        "by": ctx.actor.key_id,
        "now": dt.datetime.now(dt.UTC),
    }
    await ctx.store.write(store_sampling.record_result, params, check)
    return await read_plan(ctx, plan_id)


async def inspection_results(ctx: HubContext, uscc: str) -> list[InspectionRow]:
    """The recorded inspection results of an enterprise, newest first, as this caller may see
    them: results are public (双随机一公开); inspectors are persons, so PUBLIC sees none and a
    masked role their ID numbers masked; the note (the department's working remark) is for
    keyed callers, ID-number-shaped runs masked for masked roles."""
    found = await ctx.store.read_statements(store_sampling.results_of, uscc)
    full, keyed = ctx.actor.sees_personal_data, sees_unpublished(ctx.actor)
    shown = []
    for row in found:
        text = row.result if full else mask_id_numbers_in(row.result)
        note = row.note if keyed else None
        if note is not None and not full:
            note = mask_id_numbers_in(str(note))
        inspectors = tuple(i if full else mask_id_number(i) for i in row.inspectors)
        if full and inspectors:
            ctx.audited.extend(("Person", i) for i in inspectors)
        shown.append(replace(row, result=text, note=note, inspectors=inspectors if keyed else ()))
    return shown
