"""Ownership arithmetic (股权穿透): effective shares, beneficial owners, actual controllers.

Pure functions over plain data; the store only fetches the bounded shareholding subgraph.

* A path is a *simple* chain of valid shareholdings from the subject outwards (upwards: who holds
  the subject, who holds them, ...; downwards: what the subject holds, ...). No node appears twice
  on a path, the subject included, so a cross-holding cycle is walked at most once around and
  the walk always ends; its length is bounded by ``max_depth``.
* The share along a path is the product of its shares; a holder's effective share is the sum over
  all distinct simple paths that end at it. Because a company's holders hold at most 100 % between
  them, the paths that end at one holder are disjoint "events" and its effective share never
  exceeds 1; the same holds for the sum over natural persons (who never have holders themselves).
* The threshold is inclusive (25 % exactly qualifies); comparisons allow ``EPS`` of float error.

The rules followed (docs/investigation.md):

* beneficial owners (受益所有人信息管理办法, 中国人民银行 国家市场监督管理总局令〔2024〕第3号,
  art. 6): natural persons who ultimately own at least the threshold directly or indirectly
  (OWNERSHIP), or who control the subject (CONTROL: a declared natural-person actual
  controller); when nobody qualifies, the person in charge of day-to-day management, i.e. the
  legal representative or principal, is treated as the beneficial owner (MANAGEMENT, marked as
  a fallback);
* actual controller: the declared one when registered (CONTROLS, valid on asOf); otherwise the
  natural person, or the top entity (an enterprise without holders of its own), whose effective
  share exceeds 50 %, marked inferred (疑似实际控制人).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

EPS = 1e-9
MAJORITY = 0.5
CONTROL_SHARE = MAJORITY + EPS  # more than half, float error allowed: exactly 50 % is not


def controls(share: float) -> bool:
    """More than half (an inferred controller; the check's suspected controller)."""
    return share > CONTROL_SHARE


DEFAULT_PATH_CAP = 20_000

PERSON = "Person"
ENTERPRISE = "Enterprise"

NodeKey = tuple[str, str]  # (label, key): ("Person", idNumber) or ("Enterprise", uscc)


class Direction(StrEnum):
    UP = "UP"  # who holds the subject (股东穿透)
    DOWN = "DOWN"  # what the subject holds (对外投资穿透)


class Cut(StrEnum):
    """Why a result is incomplete (``truncated``)."""

    MAX_DEPTH = "MAX_DEPTH"  # holdings continue beyond maxDepth
    PATH_CAP = "PATH_CAP"  # more simple paths than the path cap
    ROW_CAP = "ROW_CAP"  # the store stopped fetching at its row cap


class OwnerBasis(StrEnum):
    OWNERSHIP = "OWNERSHIP"  # owns >= threshold, directly or indirectly
    CONTROL = "CONTROL"  # declared actual controller (a natural person)
    MANAGEMENT = "MANAGEMENT"  # fallback: legal representative or principal


class ControllerBasis(StrEnum):
    DECLARED = "DECLARED"  # registered (CONTROLS {declared: true})
    INFERRED = "INFERRED"  # effective share > 50 % (疑似实际控制人)


@dataclass(frozen=True, slots=True)
class Holding:
    """One shareholding: ``holder`` holds ``share`` of enterprise ``company`` from..to."""

    key: str
    holder: NodeKey
    company: str  # uscc
    share: float
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def company_node(self) -> NodeKey:
        return (ENTERPRISE, self.company)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


@dataclass(frozen=True, slots=True)
class Tie:
    """A role of ``holder`` at the subject: declared control, legal representative, principal."""

    holder: NodeKey
    role: str  # ACTUAL_CONTROLLER, LEGAL_REPRESENTATIVE or PRINCIPAL
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


@dataclass(frozen=True, slots=True)
class Path:
    """A simple chain of holdings from the subject outwards; ``end`` is the node it reaches."""

    steps: tuple[Holding, ...]
    share: float
    end: NodeKey

    @property
    def depth(self) -> int:
        return len(self.steps)


@dataclass
class Walk:
    paths: list[Path]
    cuts: set[Cut] = field(default_factory=set)


@dataclass
class Effective:
    node: NodeKey
    share: float
    paths: list[Path]
    ultimate: bool  # has no valid holders of its own (UP only; a person always)

    @property
    def is_person(self) -> bool:
        return self.node[0] == PERSON


@dataclass(frozen=True)
class BeneficialOwner:
    node: NodeKey
    basis: OwnerBasis
    share: float  # effective share (0 for CONTROL/MANAGEMENT without ownership)
    role: str | None = None  # for CONTROL and MANAGEMENT
    paths: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Controller:
    node: NodeKey
    basis: ControllerBasis
    share: float | None
    paths: tuple[Path, ...] = ()

    @property
    def inferred(self) -> bool:
        return self.basis is ControllerBasis.INFERRED


@dataclass
class Analysis:
    subject: str
    as_of: dt.date
    threshold: float
    max_depth: int
    owners: list[Effective]  # every holder (person or enterprise) at or above the threshold
    beneficial_owners: list[BeneficialOwner]
    fallback: bool  # beneficial owners are the management fallback
    controllers: list[Controller]
    cuts: set[Cut]
    warnings: list[str]
    path_count: int
    holders: int  # distinct holders reached
    used: list[Holding] = field(default_factory=list)  # every holding on some path
    ties: list[Tie] = field(default_factory=list)  # the ties valid on as_of

    @property
    def truncated(self) -> bool:
        return bool(self.cuts)


def _order(holding: Holding) -> tuple[float, str]:
    return (-holding.share, holding.key)


def adjacency(
    holdings: Iterable[Holding], direction: Direction, as_of: dt.date | None = None
) -> dict[NodeKey, list[tuple[Holding, NodeKey]]]:
    """node -> [(holding, next node)] in walking direction, valid on as_of, largest share first."""
    out: dict[NodeKey, list[tuple[Holding, NodeKey]]] = defaultdict(list)
    seen: set[str] = set()
    for h in holdings:
        if h.key in seen or (as_of is not None and not h.valid_on(as_of)):
            continue
        seen.add(h.key)
        if direction is Direction.UP:
            out[h.company_node].append((h, h.holder))
        else:
            out[h.holder].append((h, h.company_node))
    for edges in out.values():
        edges.sort(key=lambda e: _order(e[0]))
    return dict(out)


def walk(
    root: NodeKey,
    holdings: Iterable[Holding],
    direction: Direction,
    max_depth: int,
    *,
    as_of: dt.date | None = None,
    min_share: float = 0.0,
    path_cap: int = DEFAULT_PATH_CAP,
) -> Walk:
    """Every simple path of at most ``max_depth`` holdings from ``root`` (depth-first, biggest
    share first), skipping paths whose share is below ``min_share`` (and so everything beyond
    them, as shares only shrink along a path). Stops at ``path_cap`` paths."""
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    adj = adjacency(holdings, direction, as_of)
    result = Walk(paths=[])
    on_path: set[NodeKey] = {root}
    steps: list[Holding] = []

    def extend(node: NodeKey, share: float) -> bool:
        """False once the path cap is reached (the walk stops)."""
        for holding, nxt in adj.get(node, ()):
            if nxt in on_path:
                continue  # a cycle: never walk back onto the path
            product = share * holding.share
            if product < min_share - EPS:
                continue
            if len(steps) >= max_depth:
                result.cuts.add(Cut.MAX_DEPTH)
                return True
            if len(result.paths) >= path_cap:
                result.cuts.add(Cut.PATH_CAP)
                return False
            steps.append(holding)
            on_path.add(nxt)
            result.paths.append(Path(tuple(steps), product, nxt))
            going = extend(nxt, product)
            steps.pop()
            on_path.discard(nxt)
            if not going:
                return False
        return True

    extend(root, 1.0)
    return result


def effective_shares(
    paths: Iterable[Path], adj: Mapping[NodeKey, Sequence[object]] | None = None
) -> dict[NodeKey, Effective]:
    """Sum the path shares per end node. ``ultimate`` when the node has no onward edges."""
    out: dict[NodeKey, Effective] = {}
    for path in paths:
        entry = out.get(path.end)
        if entry is None:
            ultimate = path.end[0] == PERSON or not (adj or {}).get(path.end)
            entry = out[path.end] = Effective(path.end, 0.0, [], ultimate)
        entry.share += path.share
        entry.paths.append(path)
    return out


def over_allocated(holdings: Iterable[Holding], as_of: dt.date) -> list[str]:
    """Companies whose valid holdings add up to more than 100 % (a data error worth showing)."""
    totals: dict[str, float] = defaultdict(float)
    seen: set[str] = set()
    for h in holdings:
        if h.key not in seen and h.valid_on(as_of):
            seen.add(h.key)
            totals[h.company] += h.share
    return sorted(c for c, total in totals.items() if total > 1 + 1e-6)


def _rank(entry: Effective) -> tuple[float, str, str]:
    return (-entry.share, entry.node[0], entry.node[1])


def analyse(
    subject: str,
    holdings: Iterable[Holding],
    ties: Iterable[Tie],
    *,
    as_of: dt.date,
    threshold: float = 0.25,
    max_depth: int = 10,
    capped: bool = False,
    path_cap: int = DEFAULT_PATH_CAP,
) -> Analysis:
    """Beneficial owners and actual controllers of ``subject`` (a uscc) on ``as_of``.

    ``holdings`` is the upward shareholding subgraph the store fetched (any validity: the ones
    not valid on ``as_of`` are ignored here); ``ties`` the subject's declared controllers, legal
    representatives and principals; ``capped`` says the store hit its row cap.

    In four steps: the walk up the holdings and the effective shares; the actual controllers
    (declared, else inferred from a majority); the beneficial owners (by ownership, by control,
    else the managers); the warnings about the data.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    holdings = list(holdings)
    root: NodeKey = (ENTERPRISE, subject)
    adj = adjacency(holdings, Direction.UP, as_of)
    result = walk(root, holdings, Direction.UP, max_depth, as_of=as_of, path_cap=path_cap)
    shares = effective_shares(result.paths, adj)
    ranked = sorted(shares.values(), key=_rank)
    owners = [e for e in ranked if e.share >= threshold - EPS]
    cuts = set(result.cuts) | ({Cut.ROW_CAP} if capped else set())
    valid_ties = [t for t in ties if t.valid_on(as_of)]
    declared = sorted({t.holder for t in valid_ties if t.role == "ACTUAL_CONTROLLER"})
    beneficial, fallback = _beneficial_owners(owners, declared, shares, valid_ties)
    return Analysis(
        subject=subject,
        as_of=as_of,
        threshold=threshold,
        max_depth=max_depth,
        owners=owners,
        beneficial_owners=beneficial,
        fallback=fallback,
        controllers=_controllers(declared, shares, ranked),
        cuts=cuts,
        warnings=_warnings(holdings, as_of),
        path_count=len(result.paths),
        holders=len(shares),
        used=list({s.key: s for p in result.paths for s in p.steps}.values()),
        ties=valid_ties,
    )


def _share_of(entry: Effective | None) -> tuple[float, tuple[Path, ...]]:
    """A node's effective share and its paths; 0 and none when no path reaches it."""
    return (entry.share, tuple(entry.paths)) if entry else (0.0, ())


def _controllers(
    declared: list[NodeKey], shares: dict[NodeKey, Effective], ranked: list[Effective]
) -> list[Controller]:
    """The declared actual controllers valid on the day; without one, every natural person or
    top entity holding a majority (inferred: 疑似实际控制人)."""
    if declared:
        return [
            Controller(
                node,
                ControllerBasis.DECLARED,
                shares[node].share if node in shares else None,
                _share_of(shares.get(node))[1],
            )
            for node in declared
        ]
    majority = [e for e in ranked if controls(e.share) and (e.is_person or e.ultimate)]
    return [Controller(e.node, ControllerBasis.INFERRED, e.share, tuple(e.paths)) for e in majority]


def _beneficial_owners(
    owners: list[Effective],
    declared: list[NodeKey],
    shares: dict[NodeKey, Effective],
    valid_ties: list[Tie],
) -> tuple[list[BeneficialOwner], bool]:
    """Natural persons owning at least the threshold, then declared controllers who are
    natural persons; without any, the managers (``fallback``: True when there are some)."""
    beneficial = [
        BeneficialOwner(e.node, OwnerBasis.OWNERSHIP, e.share, None, tuple(e.paths))
        for e in owners
        if e.is_person
    ]
    owning = {b.node for b in beneficial}
    for node in declared:
        if node[0] == PERSON and node not in owning:
            share, paths = _share_of(shares.get(node))
            beneficial.append(
                BeneficialOwner(node, OwnerBasis.CONTROL, share, "ACTUAL_CONTROLLER", paths)
            )
    if beneficial:
        return beneficial, False
    managers = _managers(valid_ties)
    for node, role in managers.items():
        share, paths = _share_of(shares.get(node))
        beneficial.append(BeneficialOwner(node, OwnerBasis.MANAGEMENT, share, role, paths))
    return beneficial, bool(managers)


def _managers(valid_ties: list[Tie]) -> dict[NodeKey, str]:
    """Natural persons who are legal representative or principal, with their first role
    (legal representative first; by holder within a role)."""
    managers: dict[NodeKey, str] = {}
    for role in ("LEGAL_REPRESENTATIVE", "PRINCIPAL"):
        for tie in sorted(valid_ties, key=lambda t: t.holder):
            if tie.role == role and tie.holder[0] == PERSON:
                managers.setdefault(tie.holder, role)
    return managers


def _warnings(holdings: list[Holding], as_of: dt.date) -> list[str]:
    return [
        f"holdings of {company} add up to more than 100 % on {as_of.isoformat()}"
        for company in over_allocated(holdings, as_of)
    ]
