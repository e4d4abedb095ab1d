"""双随机一公开 sampling plans: createSamplingPlan, samplingPlan, recordInspectionResult."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from hub.store.sampling import InspectionRow
from resolvers import sampling
from resolvers.context import HubContext
from schema.common import SubjectKind

HubInfo = Info[HubContext, None]


@strawberry.input(description="Ratios per grade tier, 0 to 1; an omitted tier keeps its default.")
class TierRatios:
    a: float | None = strawberry.field(default=None, name="A", description="Default 0.05.")
    b: float | None = strawberry.field(default=None, name="B", description="Default 0.20.")
    c: float | None = strawberry.field(
        default=None, name="C", description="Default 0.60; ungraded subjects are drawn as C."
    )
    d: float | None = strawberry.field(default=None, name="D", description="Default 1.")


@strawberry.input(description="What to draw from, at which ratios, with which inspectors.")
class SamplingPlanInput:
    seed: int = strawberry.field(description="The same seed on the same data draws the same plan.")
    inspectors: list[str] = strawberry.field(description="ID numbers of the inspector pool.")
    inspectors_per_target: int = 2
    ratios: TierRatios | None = None
    kind: SubjectKind | None = None
    division: str | None = strawberry.field(default=None, description="6-digit division code.")
    supervised_only: bool = strawberry.field(
        default=False,
        description="Only enterprises with an administrative action of the plan's department.",
    )
    on: dt.date | None = strawberry.field(
        default=None, description="Grades and ties as of this date (today by default)."
    )
    department: str | None = strawberry.field(default=None, description="ADMIN only.")


@strawberry.type
class TierDraw:
    tier: str
    ratio: float
    population: int
    drawn: int


@strawberry.type
class SamplingTarget:
    uscc: str
    name: str | None
    tier: str
    grade: str | None = strawberry.field(description="Null: ungraded (drawn as C).")
    inspectors: list[str] = strawberry.field(description="Masked unless the role sees them.")
    shortfall: bool = strawberry.field(
        description="Fewer unrelated inspectors in the pool than the plan asks for."
    )
    result: str | None
    inspected_on: dt.date | None


@strawberry.type(description="The result of a 双随机一公开 inspection (published: 一公开).")
class InspectionResult:
    row: strawberry.Private[InspectionRow]  # as the caller may see it (resolvers/sampling.py)

    @strawberry.field
    def plan_id(self) -> str:
        return self.row.plan_id

    @strawberry.field(description="The plan's (inspecting) department.")
    def department(self) -> str:
        return self.row.department

    @strawberry.field
    def department_name(self) -> str | None:
        return self.row.department_name

    @strawberry.field
    def inspected_on(self) -> dt.date | None:
        return self.row.inspected_on

    @strawberry.field
    def result(self) -> str:
        return self.row.result

    @strawberry.field(description="Keyed callers only.")
    def note(self) -> str | None:
        return self.row.note

    @strawberry.field(
        description="ID numbers: none for PUBLIC, masked unless the role sees personal data."
    )
    def inspectors(self) -> list[str]:
        return list(self.row.inspectors)


@strawberry.type(description="A stored 双随机一公开 plan.")
class SamplingPlan:
    id: str
    department: str
    seed: int
    on: dt.date
    created_at: dt.datetime
    created_by: str
    inspectors_per_target: int
    tiers: list[TierDraw]
    shortfalls: int = strawberry.field(description="Targets the pool could not fully staff.")
    targets: list[SamplingTarget]

    @classmethod
    def of(cls, found: dict[str, Any]) -> SamplingPlan:
        plan = found["plan"]
        return cls(
            id=plan["id"],
            department=plan["department"],
            seed=plan["seed"],
            on=plan["on"],
            created_at=plan["createdAt"],
            created_by=plan["createdBy"],
            inspectors_per_target=plan["inspectorsPerTarget"],
            tiers=[
                TierDraw(tier=t, ratio=r, population=p, drawn=d)
                for t, r, p, d in zip(
                    ("A", "B", "C", "D"),
                    plan["ratios"],
                    plan["tierPopulation"],
                    plan["tierDrawn"],
                    strict=True,
                )
            ],
            shortfalls=plan["shortfalls"],
            targets=[
                SamplingTarget(
                    uscc=t["uscc"],
                    name=t.get("name"),
                    tier=t["tier"],
                    grade=t.get("grade"),
                    inspectors=t["inspectors"],
                    shortfall=bool(t.get("shortfall")),
                    result=t.get("result"),
                    inspected_on=t.get("inspectedOn"),
                )
                for t in found["targets"]
            ],
        )


@strawberry.type
class SamplingQueries:
    @strawberry.field(description="A sampling plan of the caller's department (or any: ADMIN).")
    async def sampling_plan(self, info: HubInfo, id: str) -> SamplingPlan:
        return SamplingPlan.of(await sampling.read_plan(info.context, id))


@strawberry.type
class SamplingMutations:
    @strawberry.mutation(
        description="Draw inspection targets per grade tier and assign inspectors at random, "
        "never one related to the target; stored with its seed (reproducible)."
    )
    async def create_sampling_plan(self, info: HubInfo, input: SamplingPlanInput) -> SamplingPlan:
        ratios = input.ratios or TierRatios()
        given = {
            "seed": input.seed,
            "inspectors": input.inspectors,
            "inspectorsPerTarget": input.inspectors_per_target,
            "ratios": {
                tier: value
                for tier, value in (
                    ("A", ratios.a),
                    ("B", ratios.b),
                    ("C", ratios.c),
                    ("D", ratios.d),
                )
                if value is not None
            },
            "kind": input.kind.value if input.kind else None,
            "division": input.division,
            "supervisedOnly": input.supervised_only,
            "on": input.on,
            "department": input.department,
        }
        return SamplingPlan.of(await sampling.create_plan(info.context, given))

    @strawberry.mutation(description="The result of inspecting one target of a plan.")
    async def record_inspection_result(
        self,
        info: HubInfo,
        plan_id: str,
        uscc: str,
        result: str,
        inspected_on: dt.date,
        note: str | None = None,
    ) -> SamplingPlan:
        found = await sampling.record_result(
            info.context, plan_id, uscc, result, inspected_on, note
        )
        return SamplingPlan.of(found)
