"""One line in Chinese per hit, for the clerk to paste into the approval file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph_seed.reference_data import load_domains
from hub.rules.commitments import TYPE_NAMES, CommitmentType
from hub.rules.decision import Entry, Hit, OwnershipPath, ReachKind
from hub.rules.measures import reaching
from hub.rules.ownership import controls

ROLE_NAMES = {
    "LEGAL_REPRESENTATIVE": "法定代表人",
    "PRINCIPAL": "主要负责人",
    "ACTUAL_CONTROLLER": "实际控制人",
    "DIRECTOR": "董事",
    "SUPERVISOR": "监事",
    "SENIOR_MANAGER": "高级管理人员",
    "PRACTITIONER": "注册执业人员",
    "SHAREHOLDER": "股东",
    "LIABLE_PERSON": "负有直接责任的人员",
    "LIABLE_DIRECTOR": "负有直接责任的董事",
    "LIABLE_SHAREHOLDER": "负有直接责任的股东",
    "LIABLE_PRACTITIONER": "负有直接责任的注册执业人员",
}
ROLE_ORDER = {role: i for i, role in enumerate(ROLE_NAMES)}
LIST_NAMES = {
    "BLACK": "失信联合惩戒对象名单",
    "WATCH": "重点关注名单",
    "RED": "守信激励名单（红名单）",
}
SOURCE_NAMES = {"COURT": "失信被执行人", "LOAN": "银行贷款逾期失信", "ADMINISTRATIVE": ""}
GRADE_NAMES = {"A": "优", "B": "良", "C": "中", "D": "差"}
STATE_NOTE = {"SUSPENDED": "（该名单信息正在异议核实，核实期间暂不执行）"}


def _listing_phrase(hit: Hit) -> str:
    assert hit.entry is not None  # noqa: S101 - listing hits only
    listing = hit.entry.listing
    who = listing.department_name or listing.department or "认定部门"
    kind = SOURCE_NAMES.get(listing.source) or ""
    name = LIST_NAMES.get(listing.list, listing.list)
    detail = f"（{kind}，{listing.case_number}）" if listing.case_number else ""
    domain = load_domains().get(listing.domain)
    return (
        f"{listing.effective_from.isoformat()}起被{who}列入{name}{detail}"
        f"（{domain.name if domain else listing.domain}领域，名单编号{listing.id}）"
    )


def _roles(tokens: Iterable[str], fallback: str = "相关人员") -> str:
    names = [ROLE_NAMES[t] for t in tokens if t in ROLE_NAMES]
    return "、".join(dict.fromkeys(names)) or fallback


def reason(hit: Hit) -> str:
    measure = f"依据{hit.measure['legalBasis']}，{hit.measure['name']}"
    if hit.commitment is not None:
        return _commitment(hit, measure)
    if hit.entry is None and hit.evaluation is not None:
        grade = hit.evaluation.grade
        return (
            f"该主体{hit.evaluation.evaluated_on.isoformat()}公共信用综合评价为"
            f"{GRADE_NAMES.get(grade, grade)}级（{grade}）；{measure}。"
        )
    assert hit.entry is not None  # noqa: S101
    entry = hit.entry
    listing = entry.listing
    note = STATE_NOTE.get(listing.state.value, "")
    if entry.kind == ReachKind.OWN:
        return f"该主体{_listing_phrase(hit)}；{measure}。{note}"
    if entry.kind == ReachKind.DERIVED:
        roles = _roles(reaching(hit.measure, entry.parties))
        return (
            f"该人员在{listing.subject_name}（{listing.subject_key}）被列入名单之日为其"
            f"{roles}，该企业{_listing_phrase(hit)}，已记入个人信用记录；"
            f"{measure}。{note}"
        )
    if entry.kind == ReachKind.RELATED:
        role = _roles((s.role or "" for s in entry.via), fallback="任职人员")
        name = entry.via[0].holder_name if entry.via else listing.subject_name
        return (
            f"该企业的{role}{name}{_listing_phrase(hit)}，作为审慎性参考"
            f"（中办发〔2016〕64号）；{measure}。{note}"
        )
    return _suspected(hit, measure, note)


def _pct(share: float) -> str:
    return f"{share * 100:.2f}%"


def _path_phrase(path: OwnershipPath) -> str:
    """One shareholding path and its product: 直接持有30.00%, or
    经乙公司（USCC）间接持有50.00%×50.00%=25.00%."""
    if len(path.steps) == 1:
        return f"直接持有{_pct(path.product)}"
    through = "、".join(f"{s.target_name}（{s.target_key}）" for s in path.steps[:-1])
    factors = "×".join(_pct(s.share or 0) for s in path.steps)
    return f"经{through}间接持有{factors}={_pct(path.product)}"


def _paths_phrase(entry: Entry) -> str:
    """Every path that adds to the share, its product, and the sum."""
    parts = [_path_phrase(p) for p in entry.paths]
    rest = entry.path_count - len(entry.paths)
    if rest > 0:
        remainder = (entry.share or 0) - sum(p.product for p in entry.paths)
        parts.append(f"其余{rest}条路径合计{_pct(max(remainder, 0.0))}")
    if len(parts) > 1:
        parts.append(f"合计{_pct(entry.share or 0)}")
    return "；".join(parts)


def _suspected(hit: Hit, measure: str, note: str) -> str:
    assert hit.entry is not None  # noqa: S101
    entry = hit.entry
    listing = entry.listing
    target = f"{listing.subject_name}（{listing.subject_key}）"
    share = _pct(entry.share or 0)
    paths = _paths_phrase(entry)
    if entry.truncated:
        # The ownership paths were more than the cap: the share is a lower bound.
        control = (
            "疑似其实际控制人"
            if controls(entry.share or 0)
            else "持股路径过多未能完整计算，不能排除其为实际控制人，请人工核查"
        )
        return (
            f"该主体经股权穿透持有{target}至少{share}的股权（仅计算了部分持股路径：{paths}），"
            f"{control}，该企业{_listing_phrase(hit)}；{measure}。{note}"
        )
    if entry.path_count <= 1 and len(entry.paths) == 1 and len(entry.paths[0].steps) == 1:
        held = f"直接持有{target}{share}的股权"
    elif entry.path_count <= 1:
        held = f"经股权穿透间接持有{target}{share}的股权（{paths}）"
    else:
        held = f"经{entry.path_count}条持股路径合计持有{target}{share}的股权（{paths}）"
    return f"该主体{held}，疑似其实际控制人，该企业{_listing_phrase(hit)}；{measure}。{note}"


def _commitment(hit: Hit, measure: str) -> str:
    """A broken commitment: what was promised for which approval, when the breach was
    confirmed, and the last day of its one-year caution."""
    assert hit.commitment is not None  # noqa: S101 - commitment hits only
    c = hit.commitment
    who = c.department_name or c.department or "承诺受理部门"
    kind = TYPE_NAMES.get(CommitmentType(c.type), c.type)
    case = f"，案号{c.case_number}" if c.case_number else ""
    undone = f"（未履行事项：{c.undone}）" if c.undone else ""
    last = c.ends_on - dt.timedelta(days=1)
    return (
        f"该主体{c.made_on.isoformat()}向{who}作出{kind}信用承诺（编号{c.code}{case}），"
        f"{c.broken_on.isoformat()}经确认未履行承诺{undone}，记入失信记录；"
        f"自确认之日起一年内（至{last.isoformat()}）办理同类审批时审慎核查；{measure}。"
    )
