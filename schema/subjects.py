"""Enterprise, Person and the facts around them: roles, shareholdings, actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, overload

import strawberry
from graphql import FieldNode
from strawberry.types import Info

from graph_seed.model import RoleName
from graphql_engine.execution import PLAIN_READ
from hub.identifiers import mask_id_number
from hub.rules.listings import aggravated_among
from hub.rules.publicity import publicity
from hub.rules.validity import within
from hub.rules.workdays import Calendar, publication_deadline
from hub.store.subjects import (
    ActionRow,
    EnterpriseRow,
    PersonRow,
    RelationRow,
    enterprise_row,
    person_row,
)
from resolvers.commitments import commitments_of, voluntary_of
from resolvers.context import HubContext
from resolvers.records import (
    broken_commitment_rows,
    credit_record_rows,
    own_listing_rows,
    primed_listing_rows,
)
from resolvers.subjects import action_rows
from schema.common import (
    ActionType,
    Department,
    Disclosure,
    PageInfo,
    Provenance,
    Severity,
    SubjectKind,
)
from schema.way_back import WayBack, action_way_back

if TYPE_CHECKING:
    from schema.commitments import Commitment, VoluntaryInformation
    from schema.credit_record import CreditRecord
    from schema.listings import Listing, Objection
    from schema.sampling import InspectionResult

HubInfo = Info[HubContext, None]


@strawberry.type(description="A market subject with a USCC (统一社会信用代码).")
class Enterprise:
    row: strawberry.Private[EnterpriseRow]  # as the store read it (hub/store/subjects.py)

    @strawberry.field(metadata=PLAIN_READ)
    def uscc(self) -> str:
        return self.row.uscc

    # name, kind, registeredOn and status answer at once when the row holds them (a search
    # hit's does: hub/store/subjects.py HIT_ENTERPRISE), else read the rest first. A resolver
    # that returns a value costs graphql-core no coroutine and no task; twenty hits of four
    # such fields were eighty of each per search (docs/site.md#search). They and the hit's
    # badges are plain reads (graphql_engine/execution.py PLAIN_READ): completed in its loop.
    @strawberry.field(graphql_type=str, metadata=PLAIN_READ)
    def name(self, info: HubInfo) -> str | Awaitable[str]:
        name = self.row.name
        if name is not None:
            return name
        return self._later(info, _name)

    @strawberry.field(graphql_type=SubjectKind, metadata=PLAIN_READ)
    def kind(self, info: HubInfo) -> SubjectKind | Awaitable[SubjectKind]:
        kind = self.row.kind
        if kind is not None:
            return SubjectKind(kind)
        return self._later(info, _kind)

    @strawberry.field(
        description="Division code (chars 3-8 of the USCC) at issuance.", metadata=PLAIN_READ
    )
    def division_code(self) -> str:
        return self.row.uscc[2:8]

    @strawberry.field(graphql_type=dt.date | None, metadata=PLAIN_READ)
    def registered_on(self, info: HubInfo) -> dt.date | Awaitable[dt.date | None] | None:
        if self.row.registration_read:
            return self.row.registered_on
        return self._later(info, _registered_on)

    @strawberry.field(
        description="ACTIVE, DEREGISTERED (注销) or REVOKED (吊销).",
        graphql_type=str | None,
        metadata=PLAIN_READ,
    )
    def status(self, info: HubInfo) -> str | Awaitable[str | None] | None:
        if self.row.status_read:
            return self.row.status
        return self._later(info, _status)

    @strawberry.field
    async def industry(self, info: HubInfo) -> str | None:
        return (await self._full(info)).industry

    @strawberry.field(description="Registered address (public registration data).")
    async def address(self, info: HubInfo) -> str | None:
        return (await self._full(info)).address

    @strawberry.field(description="Registered contact phone (public registration data).")
    async def phone(self, info: HubInfo) -> str | None:
        return (await self._full(info)).phone

    @strawberry.field(description="The enterprise this one is a branch of.")
    async def branch_of(self, info: HubInfo) -> Enterprise | None:
        parent = (await self._full(info)).branch_of_uscc
        return Enterprise(row=EnterpriseRow(uscc=parent)) if parent else None

    @strawberry.field(
        description="People (and controlling enterprises) in roles, with their dates. With "
        "asOf: only roles held on that date; without: the whole history."
    )
    async def roles(self, info: HubInfo, as_of: dt.date | None = None) -> list[RoleHolding]:
        rows = await info.context.loaders.relations["rolesAt"].load(self.row.uscc)
        return _roles(rows, as_of, info.context.today())

    @strawberry.field(description="Who holds shares in this enterprise (股东), with dates.")
    async def shareholders(self, info: HubInfo, as_of: dt.date | None = None) -> list[Shareholding]:
        rows = await info.context.loaders.relations["shareholdersOf"].load(self.row.uscc)
        return _shares(rows, as_of, info.context.today())

    @strawberry.field(description="Shares this enterprise holds in others (对外投资), with dates.")
    async def holdings(self, info: HubInfo, as_of: dt.date | None = None) -> list[Shareholding]:
        rows = await info.context.loaders.relations["holdingsOfEnterprises"].load(self.row.uscc)
        return _shares(rows, as_of, info.context.today())

    @strawberry.field(description="Administrative actions about this enterprise, newest first.")
    async def actions(
        self, info: HubInfo, first: int = 20, after: str | None = None
    ) -> ActionConnection:
        return await actions_page(info, "Enterprise", self.row.uscc, first, after)

    @strawberry.field(
        description="Own listings (BLACK, WATCH, RED), each with its status on asOf (today by "
        "default). An unconfirmed loan default is not a listing and is not shown. PUBLIC "
        "callers see the published ones: BLACK and RED listings in force today (ACTIVE or "
        "SUSPENDED), whatever asOf.",
        graphql_type=list[Annotated["Listing", strawberry.lazy("schema.listings")]],
        metadata=PLAIN_READ,
    )
    def listings(
        self, info: HubInfo, as_of: dt.date | None = None
    ) -> list[Listing] | Awaitable[list[Listing]]:
        return _listings(info, "Enterprise", self.row.uscc, as_of)

    @strawberry.field(
        description="加大惩戒力度: active BLACK listings in two or more domains on asOf (own only)."
    )
    async def aggravated(self, info: HubInfo, as_of: dt.date | None = None) -> bool:
        rows = await own_listing_rows(info.context, "Enterprise", self.row.uscc)
        return aggravated_among(rows, as_of or info.context.today())

    @strawberry.field(
        description="信用承诺 made by this enterprise, newest first, at the caller's level "
        "(PUBLIC: PUBLIC ones; keys: GOVERNMENT too; NONE: its department and ADMIN)."
    )
    async def commitments(
        self, info: HubInfo
    ) -> list[Annotated[Commitment, strawberry.lazy("schema.commitments")]]:
        from schema.commitments import Commitment

        rows = await commitments_of(info.context, "Enterprise", self.row.uscc)
        return [Commitment(row=r) for r in rows]

    @strawberry.field(
        description="自愿注册 information, newest first: PUBLIC sees the verified (ACCEPTED) "
        "only; keyed callers pending and rejected too."
    )
    async def voluntary_information(
        self, info: HubInfo
    ) -> list[Annotated[VoluntaryInformation, strawberry.lazy("schema.commitments")]]:
        from schema.commitments import VoluntaryInformation

        rows = await voluntary_of(info.context, "Enterprise", self.row.uscc)
        return [VoluntaryInformation(row=r) for r in rows]

    @strawberry.field(
        description="双随机一公开: the recorded results of the sampling plans' inspections of "
        "it, newest first (results are public; inspectors are not)."
    )
    async def inspection_results(
        self, info: HubInfo
    ) -> list[Annotated[InspectionResult, strawberry.lazy("schema.sampling")]]:
        from resolvers.sampling import inspection_results
        from schema.sampling import InspectionResult

        rows = await inspection_results(info.context, self.row.uscc)
        return [InspectionResult(row=r) for r in rows]

    @strawberry.field
    async def provenance(self, info: HubInfo) -> Provenance:
        return Provenance.of_row(await self._full(info))

    async def _full(self, info: HubInfo) -> EnterpriseRow:
        """All stored properties; nested enterprises start with a few and load the rest once."""
        if not self.row.complete:
            loaded = await info.context.loaders.enterprise.load(self.row.uscc)
            if loaded is not None:
                self.row = loaded
        return self.row

    async def _later(self, info: HubInfo, read: Callable[[EnterpriseRow], Any]) -> Any:
        """``read`` of the stored properties, read first (the row holds a few of them)."""
        return read(await self._full(info))


def _name(row: EnterpriseRow) -> str:
    return str(row.name)


def _kind(row: EnterpriseRow) -> SubjectKind:
    return SubjectKind(row.kind)


def _registered_on(row: EnterpriseRow) -> dt.date | None:
    return row.registered_on


def _status(row: EnterpriseRow) -> str | None:
    return row.status


@strawberry.type(
    description="A natural person. The ID number is masked unless the caller may "
    "see personal data (INVESTIGATOR, ADMIN; every such read is audited)."
)
class Person:
    row: strawberry.Private[PersonRow]  # as the store read it (hub/store/subjects.py)

    def _full_access(self, info: HubInfo) -> bool:
        """True for callers who see personal data (INVESTIGATOR, ADMIN). Every field of a
        person calls it, so their read of the person is audited whatever they select (a name,
        roles, a credit record), not only when they select the personal fields."""
        if info.context.actor.sees_personal_data:
            info.context.audited.append(("Person", self.row.id_number))
            return True
        return False

    @strawberry.field(
        description="公民身份号码; masked (first 4 and last 4 kept) for PUBLIC, "
        "APPROVAL and DEPARTMENT callers."
    )
    def id_number(self, info: HubInfo) -> str:
        value = self.row.id_number
        return value if self._full_access(info) else mask_id_number(value)

    @strawberry.field(description="True when the ID number above is masked.")
    def id_number_masked(self, info: HubInfo) -> bool:
        return not self._full_access(info)

    @strawberry.field
    async def name(self, info: HubInfo) -> str:
        self._full_access(info)
        return str((await self._full(info)).name if self.row.name is None else self.row.name)

    @strawberry.field
    def kind(self, info: HubInfo) -> SubjectKind:
        self._full_access(info)
        return SubjectKind.PERSON

    @strawberry.field(
        description="公职人员 (党政机关、事业单位、国有企业): the person record's flag. "
        "Checks read the person's dated employments instead when any is recorded "
        "(docs/check.md)."
    )
    async def public_servant(self, info: HubInfo) -> bool:
        self._full_access(info)
        known = self.row.public_servant
        return bool((await self._full(info)).public_servant if known is None else known)

    @strawberry.field(description="Birth date (personal data: null unless full access).")
    async def birth_date(self, info: HubInfo) -> dt.date | None:
        return (await self._full(info)).birth_date if self._full_access(info) else None

    @strawberry.field(description="Address (personal data: null unless full access).")
    async def address(self, info: HubInfo) -> str | None:
        return (await self._full(info)).address if self._full_access(info) else None

    @strawberry.field(description="Phone (personal data: null unless full access).")
    async def phone(self, info: HubInfo) -> str | None:
        return (await self._full(info)).phone if self._full_access(info) else None

    @strawberry.field(description="Roles this person holds or held, with dates.")
    async def roles(self, info: HubInfo, as_of: dt.date | None = None) -> list[RoleHolding]:
        self._full_access(info)
        rows = await info.context.loaders.relations["rolesOfPersons"].load(self.row.id_number)
        return _roles(rows, as_of, info.context.today())

    @strawberry.field(description="Shares this person holds, with dates.")
    async def holdings(self, info: HubInfo, as_of: dt.date | None = None) -> list[Shareholding]:
        self._full_access(info)
        rows = await info.context.loaders.relations["holdingsOfPersons"].load(self.row.id_number)
        return _shares(rows, as_of, info.context.today())

    @strawberry.field(description="Administrative actions about this person, newest first.")
    async def actions(
        self, info: HubInfo, first: int = 20, after: str | None = None
    ) -> ActionConnection:
        self._full_access(info)
        return await actions_page(info, "Person", self.row.id_number, first, after)

    @strawberry.field(
        description="Own listings, each with its status on asOf (today by default). PUBLIC "
        "callers see the published ones: BLACK and RED listings in force today (ACTIVE or "
        "SUSPENDED), whatever asOf.",
        graphql_type=list[Annotated["Listing", strawberry.lazy("schema.listings")]],
    )
    def listings(
        self, info: HubInfo, as_of: dt.date | None = None
    ) -> list[Listing] | Awaitable[list[Listing]]:
        self._full_access(info)
        return _listings(info, "Person", self.row.id_number, as_of)

    @strawberry.field(
        description="加大惩戒力度: active BLACK listings in two or more domains on asOf (own only)."
    )
    async def aggravated(self, info: HubInfo, as_of: dt.date | None = None) -> bool:
        self._full_access(info)
        rows = await own_listing_rows(info.context, "Person", self.row.id_number)
        return aggravated_among(rows, as_of or info.context.today())

    @strawberry.field(
        description="信用承诺 made by this person, newest first, at the caller's level "
        "(PUBLIC: PUBLIC ones; keys: GOVERNMENT too; NONE: its department and ADMIN)."
    )
    async def commitments(
        self, info: HubInfo
    ) -> list[Annotated[Commitment, strawberry.lazy("schema.commitments")]]:
        from schema.commitments import Commitment

        self._full_access(info)
        rows = await commitments_of(info.context, "Person", self.row.id_number)
        return [Commitment(row=r) for r in rows]

    @strawberry.field(
        description="自愿注册 information, newest first: PUBLIC sees the verified (ACCEPTED) "
        "only; keyed callers pending and rejected too."
    )
    async def voluntary_information(
        self, info: HubInfo
    ) -> list[Annotated[VoluntaryInformation, strawberry.lazy("schema.commitments")]]:
        from schema.commitments import VoluntaryInformation

        self._full_access(info)
        rows = await voluntary_of(info.context, "Person", self.row.id_number)
        return [VoluntaryInformation(row=r) for r in rows]

    @strawberry.field(
        description="个人信用记录 on asOf: own listings and entries derived from listings of "
        "enterprises the person was responsible for, each with the source listing, the "
        "enterprise, the roles, the period and the state on asOf. Null with a FORBIDDEN error "
        "for PUBLIC callers (a personal record is not a published list)."
    )
    async def credit_record(
        self, info: HubInfo, as_of: dt.date | None = None
    ) -> Annotated[CreditRecord, strawberry.lazy("schema.credit_record")] | None:
        # A type cycle (a person's record, an entry's person): imported when first asked.
        from schema.credit_record import CreditRecord

        self._full_access(info)
        number = self.row.id_number
        own, derived = await credit_record_rows(info.context, number)
        broken = await broken_commitment_rows(info.context, number)
        return CreditRecord.of(own, derived, as_of or info.context.today(), number, broken)

    @strawberry.field
    async def provenance(self, info: HubInfo) -> Provenance:
        self._full_access(info)
        full = await self._full(info)
        return Provenance(
            source_department=full.source_department,
            batch=full.batch,
            recorded_at=full.recorded_at,
            first_recorded_at=full.first_recorded_at,
        )

    async def _full(self, info: HubInfo) -> PersonRow:
        """All stored properties; persons inside graph answers start with a few."""
        if not self.row.complete:
            loaded = await info.context.loaders.person.load(self.row.id_number)
            if loaded is not None:
                self.row = loaded
        return self.row


Subject = Annotated[Enterprise | Person, strawberry.union("Subject")]


# Listing fields read from a listing's own properties and objections (its state) alone.
LISTING_STATE_FIELDS = frozenset(
    {"__typename", "id", "list", "domain", "source", "status", "effectiveFrom", "expiresOn"}
)


def asks_states_only(info: HubInfo) -> bool:
    """The listings field asks only for LISTING_STATE_FIELDS (a search hit's badges): the
    lighter read of own listings serves it (hub/store/listing_reads.py OWN_LISTING_STATES).
    Read off the document's field node (strawberry's ``selected_fields`` converts the whole
    selection on every call: once per hit)."""
    nodes = info._raw_info.field_nodes
    below = nodes[0].selection_set if nodes else None
    return all(
        isinstance(s, FieldNode) and s.name.value in LISTING_STATE_FIELDS
        for s in (below.selections if below else ())
    )


def _listings(
    info: HubInfo, label: str, key: str, as_of: dt.date | None
) -> list[Listing] | Awaitable[list[Listing]]:
    """A subject's own listings with their state on ``as_of`` (today by default): at once when
    the search read their states with the hit (resolvers/subjects.py ``search``), else read."""
    # A type cycle (a subject's listings, a listing's subject): imported when first asked.
    from schema.listings import listings_of

    ctx = info.context
    states_only = asks_states_only(info)
    rows = primed_listing_rows(ctx, label, key) if states_only else None
    if rows is not None:
        return listings_of(rows, as_of or ctx.today())

    async def read() -> list[Listing]:
        found = await own_listing_rows(ctx, label, key, states_only)
        return listings_of(found, as_of or ctx.today())

    return read()


def person_of(raw: dict[str, Any]) -> Person:
    """A person's map nested in another answer (a graph's nodes, an ownership path), mapped
    by the store's ``person_row``."""
    return Person(row=person_row(raw))


def enterprise_of(raw: dict[str, Any]) -> Enterprise:
    """An enterprise's map nested in another answer (a role's or holding's enterprise, a
    graph's nodes, an ownership path), mapped by the store's ``enterprise_row``."""
    return Enterprise(row=enterprise_row(raw))


@overload
def subject_of_row(row: PersonRow | EnterpriseRow) -> Enterprise | Person: ...
@overload
def subject_of_row(row: PersonRow | EnterpriseRow | None) -> Enterprise | Person | None: ...
def subject_of_row(row: PersonRow | EnterpriseRow | None) -> Enterprise | Person | None:
    """The type of a subject the store read as a typed row."""
    if row is None:
        return None
    return Person(row=row) if isinstance(row, PersonRow) else Enterprise(row=row)


def subject_of(label: str, raw: dict[str, Any] | PersonRow | EnterpriseRow) -> Enterprise | Person:
    """The subject of a store answer: a typed row as it is, a map nested in another answer
    mapped by the store's ``person_row`` or ``enterprise_row``."""
    if isinstance(raw, PersonRow):
        return Person(row=raw)
    if isinstance(raw, EnterpriseRow):
        return Enterprise(row=raw)
    return enterprise_of(raw) if label == "Enterprise" else Person(row=person_row(raw))


@strawberry.type(description="A role held at an enterprise, valid from..to (inclusive).")
class RoleHolding:
    role: RoleName
    title: str | None
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")
    holder: Subject
    enterprise: Enterprise
    active: bool = strawberry.field(description="Held on asOf (or today when asOf is not given).")
    provenance: Provenance


@strawberry.type(description="A shareholding (share 0-1), valid from..to (inclusive).")
class Shareholding:
    holder: Subject
    enterprise: Enterprise
    share: float
    subscribed_capital: float | None
    valid_from: dt.date | None = strawberry.field(name="from")
    valid_to: dt.date | None = strawberry.field(name="to")
    active: bool
    provenance: Provenance


def _roles(rows: list[RelationRow], as_of: dt.date | None, today: dt.date) -> list[RoleHolding]:
    day = as_of or today
    out = []
    for row in rows:
        active = within(row.valid_from, row.valid_to, day)
        if as_of is not None and not active:
            continue
        out.append(
            RoleHolding(
                role=RoleName(str(row.role)),
                title=row.title,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                holder=subject_of_row(row.holder),
                enterprise=Enterprise(row=row.enterprise),
                active=active,
                provenance=Provenance.of_row(row),
            )
        )
    out.sort(key=lambda r: (r.role.value, r.valid_from or dt.date.min))
    return out


def _shares(rows: list[RelationRow], as_of: dt.date | None, today: dt.date) -> list[Shareholding]:
    day = as_of or today
    out = []
    for row in rows:
        active = within(row.valid_from, row.valid_to, day)
        if as_of is not None and not active:
            continue
        out.append(
            Shareholding(
                holder=subject_of_row(row.holder),
                enterprise=Enterprise(row=row.enterprise),
                share=float(row.share or 0),
                subscribed_capital=row.subscribed_capital,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                active=active,
                provenance=Provenance.of_row(row),
            )
        )
    out.sort(key=lambda s: -s.share)
    return out


@strawberry.type(description="How long a record stays public (国办发〔2025〕22号).")
class PublicityPeriod:
    published_by_default: bool = strawberry.field(
        description="False for 轻微 (MINOR) penalties, which are normally not published."
    )
    earliest_end: dt.date | None = strawberry.field(
        description="End of the minimum period: repair may end publication from this day."
    )
    ends: dt.date | None = strawberry.field(
        description="Publication stops automatically on this day (null: no end)."
    )


@strawberry.type(description="An administrative action (行政行为) about a subject.")
class Action:
    id: str
    type: ActionType
    department: Department
    decision_date: dt.date
    severity: Severity | None
    title: str
    document_number: str | None
    basis: str | None
    content: str | None
    domain: str | None
    penalties: list[str]
    amount: float | None
    published_on: dt.date | None
    provenance: Provenance
    publication_deadline: dt.date = strawberry.field(
        description="7 working days after the decision (the seed's rule), official calendar."
    )
    deadline_approximate: bool = strawberry.field(
        description="True when the deadline falls beyond the years the official calendar "
        "knows: counted as Monday-Friday plus configured holidays."
    )
    published_late: bool | None = strawberry.field(
        description="True when published after the deadline; null while not yet published."
    )
    publicity: PublicityPeriod
    disclosure: Disclosure = strawberry.field(
        description="Who may read it: a PUBLIC caller only ever sees PUBLIC actions."
    )
    ended_on: dt.date | None = strawberry.field(
        description="First day it no longer applies: revoked (an objection upheld) or repaired."
    )
    end_reason: str | None = strawberry.field(description="REVOKED or REPAIRED.")
    way_back: WayBack = strawberry.field(
        description="When it leaves the record on its own (a penalty's publicity ends) and how "
        "it can be repaired: penalties only."
    )

    @strawberry.field(
        description="Objections (异议) to this action, oldest first: FILED → VERIFYING → "
        "UPHELD (revoked) | REJECTED (docs/lifecycle.md)."
    )
    async def objections(
        self, info: HubInfo
    ) -> list[Annotated[Objection, strawberry.lazy("schema.listings")]]:
        # A type cycle (an objection's listing, a listing's subject): imported when first asked.
        from schema.listings import Objection

        rows = await info.context.loaders.objections_of_action.load(self.id)
        ordered = sorted(rows, key=lambda o: (o.filed_on, o.id))
        return [Objection(row=o) for o in ordered]

    @classmethod
    def of(cls, row: ActionRow, calendar: Calendar) -> Action:
        deadline, approximate = publication_deadline(row.decision_date, calendar)
        period = publicity(row.type, row.severity, row.decision_date)
        published = row.published_on
        return cls(
            id=row.id,
            type=ActionType(row.type),
            department=Department(
                code=row.department if row.department is not None else "",
                name=row.department_name,
            ),
            decision_date=row.decision_date,
            severity=Severity(row.severity) if row.severity else None,
            title=row.title if row.title is not None else "",
            document_number=row.document_number,
            basis=row.basis,
            content=row.content,
            domain=row.domain,
            penalties=list(row.penalties),
            amount=row.amount,
            published_on=published,
            provenance=Provenance.of_row(row),
            publication_deadline=deadline,
            deadline_approximate=approximate,
            published_late=None if published is None else published > deadline,
            publicity=PublicityPeriod(
                published_by_default=period.published_by_default,
                earliest_end=period.earliest_end,
                ends=period.ends,
            ),
            disclosure=Disclosure(row.disclosure or "PUBLIC"),
            ended_on=row.ended_on,
            end_reason=row.end_reason,
            way_back=action_way_back(row),
        )


@strawberry.type
class ActionConnection:
    nodes: list[Action]
    page_info: PageInfo


async def actions_page(
    info: HubInfo, label: str, key: str, first: int, after: str | None
) -> ActionConnection:
    rows, more, end = await action_rows(info.context, label, key, first, after)
    return ActionConnection(
        nodes=[Action.of(r, info.context.calendar) for r in rows],
        page_info=PageInfo(has_next_page=more, end_cursor=end),
    )
