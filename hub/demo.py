"""A deterministic, realistic county graph for demos and benchmarks (`credit-hub seed`).

Everything derives from ``random.Random(seed)`` and a fixed anchor date, so the same arguments
give the same records on every machine. Records go through the real importer, in segments of
``SEGMENT`` enterprises; a segment only refers to entities of itself or earlier segments.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from hub.auth import SYSTEM
from hub.identifiers import USCC_ALPHABET, make_id_number, make_uscc, parse_id_number
from hub.importer.progress import ProgressSink
from hub.importer.report import ImportReport
from hub.importer.runner import run_import
from hub.rules.listings import add_years
from hub.settings import Settings
from hub.store import Store

ANCHOR = dt.date(2026, 6, 30)
SEGMENT = 5000

TOWNS = [
    "新州镇",
    "桠杈镇",
    "天生桥镇",
    "平班镇",
    "德峨镇",
    "隆或镇",
    "沙梨乡",
    "者保乡",
    "者浪乡",
    "革步乡",
    "金钟山乡",
    "猪场乡",
    "蛇场乡",
    "克长乡",
    "岩茶乡",
    "介廷乡",
]
VILLAGES = [
    "那么",
    "者艾",
    "龙洞",
    "弄昔",
    "平林",
    "常么",
    "央务",
    "岩场",
    "大水",
    "上坪",
    "新合",
    "烂滩",
]
SURNAMES = list("王李黄杨罗韦陆岑农蒙潘吴梁刘陈覃班马赵张周邓卢何苏谭莫廖龚宁")
GIVEN = list("国明华建平志强文军永海春林芳秀英丽红梅兰金玉德成福贵山松云福有光荣")
BRANDS = [
    "金鑫",
    "宏达",
    "隆兴",
    "鑫源",
    "恒通",
    "瑞丰",
    "永盛",
    "华美",
    "锦程",
    "盛世",
    "康达",
    "润丰",
    "天成",
    "广源",
    "顺发",
    "嘉和",
    "富民",
    "绿源",
    "山泉",
    "汇通",
    "德隆",
    "百旺",
    "兴林",
    "通达",
]
INDUSTRIES = [
    ("建材", "建材销售"),
    ("建筑工程", "建筑施工"),
    ("茶业", "茶叶种植加工"),
    ("食品", "食品生产"),
    ("药业", "药品零售"),
    ("矿业", "矿产开采"),
    ("运输", "道路货物运输"),
    ("养殖", "畜禽养殖"),
    ("农业开发", "农业种植"),
    ("商贸", "批发零售"),
    ("电力", "水力发电"),
    ("旅游开发", "旅游服务"),
    ("房地产开发", "房地产开发经营"),
    ("医疗器械", "医疗器械销售"),
    ("小额贷款", "小额贷款"),
    ("养老服务", "养老服务"),
    ("幼儿教育", "学前教育"),
    ("家政服务", "家政服务"),
]
SHOPS = [
    "百货店",
    "餐馆",
    "小卖部",
    "五金店",
    "养殖场",
    "米粉店",
    "药店",
    "农资店",
    "汽修店",
    "茶庄",
]
COOP_TRADES = ["种养", "茶叶", "油茶", "黑山羊养殖", "桑蚕", "金银花种植", "生猪养殖", "蔬菜"]
INSTITUTIONS = [
    "农业技术推广中心",
    "林业工作站",
    "水利站",
    "文化站",
    "卫生院",
    "畜牧兽医站",
    "中学",
    "小学",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]

LOCAL_DIVISIONS = ["451031"]
BAISE_DIVISIONS = [
    "451000",
    "451002",
    "451003",
    "451022",
    "451024",
    "451026",
    "451027",
    "451028",
    "451029",
    "451030",
    "451081",
    "451082",
]
LEGACY_DIVISIONS = ["451021", "451023", "451025"]
PERSON_DIVISIONS_OTHER = ["522301", "522300", "532626", "450102", "440106"]

# Deciding department per action type (AMR for market supervision, and so on).
ACTION_DEPARTMENTS: dict[str, list[str]] = {
    "LICENSE": ["AMR", "HEALTH", "HOUSING", "ECOENV", "TRANSPORT"],
    "PENALTY": ["AMR", "ECOENV", "EMERGENCY", "TAX", "HOUSING", "HEALTH"],
    "COERCION": ["AMR", "ECOENV", "TAX"],
    "CONFIRMATION": ["NATRES", "HRSS", "CIVIL"],
    "LEVY": ["TAX", "NATRES"],
    "PAYMENT": ["CIVIL", "HRSS", "AGRI"],
    "ADJUDICATION": ["NATRES", "JUSTICE"],
    "COMPENSATION": ["NATRES", "TRANSPORT"],
    "REWARD": ["NDRC", "AGRI", "HRSS"],
    "INSPECTION": ["AMR", "EMERGENCY", "ECOENV", "HEALTH"],
}
ACTION_WEIGHTS = [30, 14, 4, 6, 8, 8, 3, 2, 5, 20]
ACTION_TITLES = {
    "LICENSE": "准予行政许可决定书",
    "PENALTY": "行政处罚决定书",
    "COERCION": "行政强制措施决定书",
    "CONFIRMATION": "行政确认书",
    "LEVY": "行政征收决定",
    "PAYMENT": "行政给付决定",
    "ADJUDICATION": "行政裁决书",
    "COMPENSATION": "行政补偿决定",
    "REWARD": "行政奖励决定",
    "INSPECTION": "监督检查结果",
}
ACTION_DOMAINS = {
    "AMR": "FOOD_DRUG",
    "ECOENV": "ENVIRONMENT",
    "EMERGENCY": "WORK_SAFETY",
    "TAX": "TAX",
    "HOUSING": "CONSTRUCTION",
    "HEALTH": "HEALTH",
}


def _org_code(rng: random.Random, index: int, salt: int) -> str:
    """A 9-character organisation code part: "MA" + 6 chars from the index + GB 11714 check."""
    alphabet = USCC_ALPHABET
    value = index * 7919 + salt
    chars = []
    for _ in range(5):
        value, digit = divmod(value, len(alphabet))
        chars.append(alphabet[digit])
    body = "MA" + "5" + "".join(reversed(chars))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


@dataclass
class _State:
    rng: random.Random
    salt: int
    persons: list[str] = field(default_factory=list)  # id numbers created so far
    person_birth: dict[str, dt.date] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    enterprises: list[str] = field(default_factory=list)  # companies (91) that can hold shares
    groups: list[list[str]] = field(default_factory=list)  # holding chains, top first
    busy: list[str] = field(default_factory=list)  # people with many roles (super-nodes)
    free_share: dict[str, float] = field(default_factory=dict)  # unallocated share per company
    in_group: set[str] = field(default_factory=set)  # companies in a holding chain
    action_seq: int = 0


def _person(state: _State, out: list[dict[str, Any]], adult_on: dt.date) -> str:
    rng = state.rng
    roll = rng.random()
    if roll < 0.72:
        division = "451031"
    elif roll < 0.82:
        division = "452631"  # 隆林 before 2002: issued before the code changed
    elif roll < 0.95:
        division = rng.choice(BAISE_DIVISIONS)
    else:
        division = rng.choice(PERSON_DIVISIONS_OTHER)
    latest = dt.date(adult_on.year - 18, 1, 1)
    earliest = dt.date(1948, 1, 1)
    birth = _date_between(rng, earliest, max(latest, earliest))
    if division == "452631" and birth.year > 1995:
        year = rng.randint(1950, 1995)
        # 29 February has no twin in a common year: take the 28th.
        birth = birth.replace(year=year, day=min(birth.day, 28 if birth.month == 2 else 31))
    while True:
        id_number = make_id_number(division, birth, rng.randint(1, 999))
        if id_number not in state.ids:
            break
    state.ids.add(id_number)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
    record: dict[str, Any] = {
        "kind": "person",
        "idNumber": id_number,
        "name": name,
        "publicServant": rng.random() < 0.04,
    }
    if rng.random() < 0.5:
        record["address"] = (
            f"隆林各族自治县{rng.choice(TOWNS)}{rng.choice(VILLAGES)}村{rng.randint(1, 40)}组"
        )
    if rng.random() < 0.6:
        record["phone"] = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
    out.append(record)
    state.persons.append(id_number)
    state.person_birth[id_number] = birth
    return id_number


def _pick_person(state: _State, out: list[dict[str, Any]], on: dt.date) -> str:
    """Mostly a new person; sometimes one who already holds roles (people run several firms)."""
    rng = state.rng
    if state.busy and rng.random() < 0.04:
        return rng.choice(state.busy)
    if state.persons and rng.random() < 0.45:
        candidate = rng.choice(state.persons)
        if state.person_birth[candidate] <= dt.date(on.year - 18, on.month, 1):
            return candidate
    return _person(state, out, on)


def _role(person: str, uscc: str, role: str, start: dt.date, end: dt.date | None) -> dict[str, Any]:
    return {
        "kind": "role",
        "idNumber": person,
        "uscc": uscc,
        "role": role,
        "from": start.isoformat(),
        "to": end.isoformat() if end else None,
    }


def _split_shares(rng: random.Random, n: int, total: float = 1.0) -> list[float]:
    weights = [rng.random() + 0.2 for _ in range(n)]
    s = sum(weights)
    shares = [round(total * w / s, 4) for w in weights]
    while sum(shares) > total:
        shares[0] = round(shares[0] - 0.0001, 4)
    return [max(x, 0.0001) for x in shares]


Segment = dict[str, list[dict[str, Any]]]


@dataclass
class _Firm:
    """One generated market subject, as the steps of ``_enterprise`` share it."""

    uscc: str
    authority: str
    category: str
    registered: dt.date
    industry: str

    @property
    def company(self) -> bool:
        return (self.authority, self.category) == ("9", "1")


def _enterprise(state: _State, index: int, seg: Segment) -> None:
    """One market subject and everything around it. The steps draw from ``state.rng`` in a
    fixed order (tests/test_demo.py pins the county of a seed): identity and record, its
    managers, for a company its board, shareholders and controller, then its actions."""
    firm = _registration(state, index, seg)
    current = _managers(state, firm, seg)
    if firm.company:
        assert current is not None  # noqa: S101 - a company has a legal representative
        _board(state, firm, current, seg)
        _shareholders(state, firm, current, seg)
        _declared_controller(state, firm, current, seg)
        state.enterprises.append(firm.uscc)
    _actions(state, firm, seg)


def _kind_of_subject(rng: random.Random) -> tuple[str, str]:
    """(registration authority, category): companies, individual businesses, cooperatives,
    village collectives, institutions."""
    roll = rng.random()
    if roll < 0.55:
        return "9", "1"
    if roll < 0.85:
        return "9", "2"
    if roll < 0.93:
        return "9", "3"
    if roll < 0.97:
        return "N", "2"
    return "1", "2"


def _name_and_industry(
    rng: random.Random, authority: str, category: str, town: str
) -> tuple[str, str]:
    trade, industry = rng.choice(INDUSTRIES)
    if (authority, category) == ("9", "1"):
        return f"隆林{rng.choice(BRANDS)}{trade}{rng.choice(SUFFIXES)}", industry
    if (authority, category) == ("9", "2"):
        shop = f"隆林县{town}{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(SHOPS)}"
        return shop, "个体经营"
    if (authority, category) == ("9", "3"):
        coop = f"隆林各族自治县{town}{rng.choice(VILLAGES)}{rng.choice(COOP_TRADES)}专业合作社"
        return coop, "农民专业合作"
    if authority == "N":
        return f"隆林各族自治县{town}{rng.choice(VILLAGES)}村股份经济合作联合社", "村集体经济"
    return f"隆林各族自治县{town}{rng.choice(INSTITUTIONS)}", "公共服务"


def _registration(state: _State, index: int, seg: Segment) -> _Firm:
    """The subject's identifier, name and registration record (``enterprise``)."""
    rng = state.rng
    authority, category = _kind_of_subject(rng)
    roll = rng.random()
    division = (
        "451031"
        if roll < 0.8
        else rng.choice(BAISE_DIVISIONS)
        if roll < 0.95
        else rng.choice(LEGACY_DIVISIONS)
    )
    uscc = make_uscc(authority, category, division, _org_code(rng, index, state.salt))
    registered = _date_between(rng, dt.date(1998, 1, 1), ANCHOR - dt.timedelta(days=30))
    town = rng.choice(TOWNS)
    name, industry = _name_and_industry(rng, authority, category, town)
    record: dict[str, Any] = {
        "kind": "enterprise",
        "uscc": uscc,
        "name": name,
        "registeredOn": registered.isoformat(),
        "industry": industry,
        "address": f"隆林各族自治县{town}{rng.choice(VILLAGES)}路{rng.randint(1, 300)}号",
    }
    if rng.random() < 0.7:
        record["phone"] = f"0776-82{rng.randint(0, 99999):05d}"
    if rng.random() < 0.01:
        record["status"] = rng.choice(["DEREGISTERED", "REVOKED"])
    seg["enterprise"].append(record)
    return _Firm(uscc, authority, category, registered, industry)


def _managers(state: _State, firm: _Firm, seg: Segment) -> str | None:
    """An individual business's operator; otherwise the legal representative (sometimes with a
    predecessor who left) and, for institutions and collectives, a principal. Returns the
    current legal representative (None for an individual business)."""
    rng, people, uscc, registered = state.rng, seg["person"], firm.uscc, firm.registered
    if (firm.authority, firm.category) == ("9", "2"):
        operator = _pick_person(state, people, registered)
        seg["role"].append(_role(operator, uscc, "PRINCIPAL", registered, None))
        return None
    first = _pick_person(state, people, registered)
    if rng.random() < 0.18:
        change = _date_between(rng, registered + dt.timedelta(days=200), ANCHOR)
        left = change - dt.timedelta(days=1)
        seg["role"].append(_role(first, uscc, "LEGAL_REPRESENTATIVE", registered, left))
        current = _pick_person(state, people, change)
        seg["role"].append(_role(current, uscc, "LEGAL_REPRESENTATIVE", change, None))
    else:
        current = first
        seg["role"].append(_role(first, uscc, "LEGAL_REPRESENTATIVE", registered, None))
    if rng.random() < 0.05 and len(state.busy) < 200:
        state.busy.append(current)
    if firm.authority == "1" or firm.authority == "N":
        principal = _pick_person(state, people, registered)
        seg["role"].append(_role(principal, uscc, "PRINCIPAL", registered, None))
    return current


def _board(state: _State, firm: _Firm, current: str, seg: Segment) -> None:
    """A company's directors, supervisor, senior managers and, in licensed trades, its
    registered practitioners."""
    rng, people, uscc, registered = state.rng, seg["person"], firm.uscc, firm.registered
    directors = [current] + [
        _pick_person(state, people, registered) for _ in range(rng.randint(0, 3))
    ]
    for person in dict.fromkeys(directors):
        seg["role"].append(_role(person, uscc, "DIRECTOR", registered, None))
    supervisor = _pick_person(state, people, registered)
    seg["role"].append(_role(supervisor, uscc, "SUPERVISOR", registered, None))
    for _ in range(rng.randint(1, 2)):
        manager = _pick_person(state, people, registered)
        since = _date_between(rng, registered, ANCHOR)
        seg["role"].append(_role(manager, uscc, "SENIOR_MANAGER", since, None))
    if firm.industry in {"建筑施工", "药品零售", "医疗器械销售", "学前教育", "养老服务"}:
        for _ in range(rng.randint(1, 3)):
            practitioner = _pick_person(state, people, registered)
            since = _date_between(rng, registered, ANCHOR)
            seg["role"].append(_role(practitioner, uscc, "PRACTITIONER", since, None))


def _chain_parent(state: _State, uscc: str) -> tuple[str | None, bool]:
    """The company that holds ``uscc`` in a holding chain, if any, and whether ``uscc`` joined
    an existing chain (under its last company) rather than starting a new one under a company
    no other company holds. Draws nothing before the county has a company."""
    rng = state.rng
    if not (state.enterprises and rng.random() < 0.2):
        return None, False
    group = rng.choice(state.groups) if state.groups and rng.random() < 0.7 else None
    if group is not None and len(group) < 11:  # a chain of 11 companies = 10 levels
        group.append(uscc)
        return group[-2], True
    for _ in range(5):  # a new chain starts at a company no other company holds
        candidate = rng.choice(state.enterprises)
        if candidate not in state.in_group:
            state.groups.append([candidate, uscc])
            state.in_group.add(candidate)
            return candidate, False
    return None, False


def _shareholders(state: _State, firm: _Firm, current: str, seg: Segment) -> None:
    """Natural persons, and sometimes a company (holding chains, a cross-holding cycle)."""
    rng, uscc, registered = state.rng, firm.uscc, firm.registered
    holders: list[dict[str, str]] = [{"idNumber": current}]
    holders += [
        {"idNumber": _pick_person(state, seg["person"], registered)}
        for _ in range(rng.randint(0, 3))
    ]
    parent, chained = _chain_parent(state, uscc)
    if parent is not None:
        state.in_group.add(uscc)
        holders.insert(0, {"uscc": parent})
    holders = list({next(iter(h.values())): h for h in holders}.values())
    total = 1.0 if rng.random() < 0.75 else round(rng.uniform(0.7, 0.95), 4)
    shares = _split_shares(rng, len(holders), total)
    if chained:
        shares = _split_shares(rng, len(holders) - 1, 1.0 - 0.6)
        shares.insert(0, 0.6)
    state.free_share[uscc] = round(1.0 - sum(shares), 4)
    for holder, share in zip(holders, shares, strict=True):
        seg["shareholding"].append(_holding(holder, uscc, share, registered))
    # Cross-holding cycle: a small stake of the chain's top in this company back up.
    if chained and rng.random() < 0.25:
        top = next(g for g in state.groups if uscc in g)[0]
        if top != uscc and state.free_share.get(top, 0.0) >= 0.05:
            state.free_share[top] = round(state.free_share[top] - 0.05, 4)
            since = ANCHOR.replace(year=ANCHOR.year - 1)
            seg["shareholding"].append(_holding({"uscc": uscc}, top, 0.05, since))


def _declared_controller(state: _State, firm: _Firm, current: str, seg: Segment) -> None:
    """Three companies in ten declare an actual controller: mostly the legal representative."""
    rng = state.rng
    if rng.random() < 0.3:
        controller = (
            current if rng.random() < 0.8 else _pick_person(state, seg["person"], firm.registered)
        )
        seg["role"].append(_role(controller, firm.uscc, "ACTUAL_CONTROLLER", firm.registered, None))


def _holding(holder: dict[str, str], uscc: str, share: float, since: dt.date) -> dict[str, Any]:
    return {
        "kind": "shareholding",
        "holder": holder,
        "uscc": uscc,
        "share": share,
        "from": since.isoformat(),
        "to": None,
    }


def _actions(state: _State, firm: _Firm, seg: Segment) -> None:
    """Administrative actions, all ten types; now and then one about a person of the segment."""
    rng = state.rng
    for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[25, 30, 25, 12, 8])[0]):
        seg["action"].append(_action(state, {"uscc": firm.uscc}, firm.registered))
    if seg["person"] and rng.random() < 0.05:
        person = rng.choice(seg["person"])["idNumber"]
        seg["action"].append(_action(state, {"idNumber": person}, dt.date(2015, 1, 1)))


def _action(state: _State, subject: dict[str, str], after: dt.date) -> dict[str, Any]:
    rng = state.rng
    state.action_seq += 1
    action_type = rng.choices(list(ACTION_DEPARTMENTS), weights=ACTION_WEIGHTS)[0]
    department = rng.choice(ACTION_DEPARTMENTS[action_type])
    decided = _date_between(rng, max(after, dt.date(2019, 1, 1)), ANCHOR)
    record: dict[str, Any] = {
        "kind": "action",
        "id": f"{department}-{decided.year}-{state.salt % 1000:03d}{state.action_seq:08d}",
        "subject": subject,
        "type": action_type,
        "department": department,
        "decisionDate": decided.isoformat(),
        "title": ACTION_TITLES[action_type],
        "documentNumber": f"隆{department[:2]}{ACTION_TITLES[action_type][:2]}〔{decided.year}〕{state.action_seq % 1000}号",
    }
    if rng.random() < 0.9:
        record["publishedOn"] = (decided + dt.timedelta(days=rng.randint(1, 12))).isoformat()
    if action_type == "PENALTY":
        record["severity"] = rng.choices(["MINOR", "GENERAL", "SERIOUS"], weights=[50, 40, 10])[0]
        record["penalties"] = rng.sample(
            ["WARNING", "FINE", "CONFISCATION", "SUSPENSION", "LICENCE_REVOCATION"],
            k=rng.randint(1, 2),
        )
        record["amount"] = float(rng.choice([500, 2000, 5000, 10000, 50000, 200000]))
        record["basis"] = "《中华人民共和国行政处罚法》及相关法律法规"
        if department in ACTION_DOMAINS:
            record["domain"] = ACTION_DOMAINS[department]
    return record


def generate(
    enterprises: int, seed: int, segment: int = SEGMENT
) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Yield segments: kind -> records, deterministic in (enterprises, seed, segment)."""
    state = _State(rng=random.Random(seed), salt=seed * 104729)
    for start in range(0, enterprises, segment):
        seg: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("enterprise", "person", "role", "shareholding", "action")
        }
        for index in range(start, min(start + segment, enterprises)):
            _enterprise(state, index, seg)
        yield seg


def segment_uploads(seg: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[bytes]]]:
    """Registration data as one AMR upload; actions as one upload per deciding department."""
    registry = [
        orjson.dumps(r) for k in ("enterprise", "person", "role", "shareholding") for r in seg[k]
    ]
    uploads: list[tuple[str, list[bytes]]] = [("AMR", registry)]
    by_department: dict[str, list[bytes]] = {}
    for action in seg["action"]:
        by_department.setdefault(action["department"], []).append(orjson.dumps(action))
    uploads.extend(sorted(by_department.items()))
    return uploads


LISTING_DEPARTMENTS = [
    ("ECOENV", "ENVIRONMENT", "《中华人民共和国环境保护法》第六十三条"),
    ("AMR", "FOOD_DRUG", "《中华人民共和国食品安全法》第一百三十五条"),
    ("EMERGENCY", "WORK_SAFETY", "《中华人民共和国安全生产法》第九十四条"),
    ("TAX", "TAX", "《重大税收违法失信主体信息公布管理办法》"),
    ("HOUSING", "CONSTRUCTION", "《建筑市场信用管理暂行办法》"),
]


def credit_records(seg: Segment, seed: int, index: int) -> list[dict[str, Any]]:
    """Listings, court defaults and evaluations for one generated segment (demo realism).

    A separate random stream (the registration data of ``generate`` stays as it was): about 3 %
    of companies BLACK-listed (some naming liable persons), 1 % WATCH, 1 % RED, 0.3 % court
    defaults of companies, 0.4 % of persons court-listed, 20 % evaluated. The draws follow the
    segment's order: each firm's listing, then its evaluation; then the persons.
    """
    rng = random.Random(f"credit-{seed}-{index}")
    officers: dict[str, list[str]] = {}
    for role in seg["role"]:
        if role["role"] in ("SENIOR_MANAGER", "DIRECTOR") and role["to"] is None:
            officers.setdefault(role["uscc"], []).append(role["idNumber"])
    out: list[dict[str, Any]] = []
    ids = f"{seed}-{index}"
    for n, firm in enumerate(seg["enterprise"]):
        code = firm["uscc"]
        listing = _firm_listing(rng, code, f"{ids}-{n}", n, officers.get(code, []))
        if listing is not None:
            out.append(listing)
        if rng.random() < 0.2:
            out.append(_evaluation(rng, code))
    for n, person in enumerate(seg["person"]):
        start = _date_between(rng, dt.date(2023, 1, 1), ANCHOR)
        if rng.random() < 0.004 and parse_id_number(person["idNumber"]).age_on(start) >= 19:
            out.append(_person_court_default(rng, person["idNumber"], f"{ids}-{n}", n, start))
    return out


def _firm_listing(
    rng: random.Random, code: str, ident: str, n: int, officers: list[str]
) -> dict[str, Any] | None:
    """One roll per firm: BLACK (companies), WATCH, RED, a court default (companies) or none."""
    start = _date_between(rng, dt.date(2023, 1, 1), ANCHOR)
    roll = rng.random()
    company = code.startswith("91")
    if company and roll < 0.03:
        return _black_listing(rng, code, ident, start, officers)
    if roll < 0.04:
        return _listing(f"AMR-W-{ident}", code, "WATCH", "FOOD_DRUG", "AMR", "重点关注名单", start)
    if roll < 0.05:
        basis = "纳税信用A级，守信激励"
        return _listing(f"NDRC-R-{ident}", code, "RED", "TAX", "NDRC", basis, start)
    if company and roll < 0.053:
        return {
            "kind": "courtDefault",
            "id": f"COURT-E-{ident}",
            "subject": {"uscc": code},
            "court": "COURT",
            "ground": 1,
            "caseNumber": f"({start.year})桂1031执{n}号",
            "effectiveFrom": start.isoformat(),
        }
    return None


def _listing(
    ident: str, code: str, kind: str, domain: str, department: str, basis: str, start: dt.date
) -> dict[str, Any]:
    return {
        "kind": "listing",
        "id": ident,
        "subject": {"uscc": code},
        "list": kind,
        "domain": domain,
        "department": department,
        "basis": basis,
        "effectiveFrom": start.isoformat(),
    }


def _black_listing(
    rng: random.Random, code: str, ident: str, start: dt.date, officers: list[str]
) -> dict[str, Any]:
    """A BLACK listing by one of the departments; some expire, some name a liable officer."""
    department, domain, basis = rng.choice(LISTING_DEPARTMENTS)
    record = _listing(f"{department}-L-{ident}", code, "BLACK", domain, department, basis, start)
    if rng.random() < 0.3:
        record["expiresOn"] = add_years(start, 3).isoformat()
    if officers and rng.random() < 0.4:
        record["liablePersons"] = [rng.choice(officers)]
    return record


def _evaluation(rng: random.Random, code: str) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "subject": {"uscc": code},
        "grade": rng.choices("ABCD", weights=[15, 45, 30, 10])[0],
        "evaluatedOn": dt.date(2025, 12, 31).isoformat(),
        "source": "NDRC",
    }


def _person_court_default(
    rng: random.Random, id_number: str, ident: str, n: int, start: dt.date
) -> dict[str, Any]:
    return {
        "kind": "courtDefault",
        "id": f"COURT-P-{ident}",
        "subject": {"idNumber": id_number},
        "court": "COURT",
        "ground": rng.randint(1, 6),
        "caseNumber": f"({start.year})桂1031执恢{n}号",
        "effectiveFrom": start.isoformat(),
    }


# Demo commitments (信用承诺): (department, type, scenario, content, liability).
COMMITMENT_KINDS = [
    ("ECOENV", "DEFICIENCY_TOLERANT", "ADMINISTRATIVE_LICENSE", "三个月内补交建设项目环境影响评价批复文件",
     "逾期未补交的，自愿接受撤销许可决定"),
    ("AMR", "APPROVAL_REPLACING", "ADMINISTRATIVE_LICENSE", "已具备食品经营许可条件，承诺后即取得许可并接受核查",
     "经核查不符合条件的，自愿接受撤销许可并记入信用记录"),
    ("NDRC", "VOLUNTARY", None, "守法诚信经营，按时履行合同义务", "违反承诺的，自愿记入信用记录"),
]  # fmt: skip


def commitment_records(
    seg: dict[str, list[dict[str, Any]]], seed: int, index: int
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """(commitments, fulfilments) for one segment: about 2 % of enterprises made a commitment;
    a third of those were confirmed later (one in three BROKEN, a caution in its scenario for a
    year). A separate random stream: the other demo data stays as it was."""
    rng = random.Random(f"commitment-{seed}-{index}")
    made: list[dict[str, Any]] = []
    kept: list[tuple[str, dict[str, Any]]] = []  # (department, fulfilment)
    for n, firm in enumerate(seg["enterprise"]):
        if rng.random() >= 0.02:
            continue
        department, kind, scenario, content, liability = rng.choice(COMMITMENT_KINDS)
        on = _date_between(rng, dt.date(2025, 7, 1), ANCHOR - dt.timedelta(days=60))
        ident = f"{department}-C-{seed}-{index}-{n}"
        record: dict[str, Any] = {
            "kind": "commitment",
            "id": ident,
            "subject": {"uscc": firm["uscc"]},
            "department": department,
            "type": kind,
            "content": content,
            "liability": liability,
            "madeOn": on.isoformat(),
            "disclosure": "GOVERNMENT" if rng.random() < 0.2 else "PUBLIC",
        }
        if scenario is not None:
            record["scenario"] = scenario
            record["caseNumber"] = f"隆{department}审〔{on.year}〕{n}号"
        made.append(record)
        if rng.random() < 0.33:
            broken = rng.random() < 0.33
            fulfilment: dict[str, Any] = {
                "kind": "commitmentFulfilment",
                "commitmentId": ident,
                "status": "BROKEN" if broken else "FULFILLED",
                "confirmedBy": "核查人员",
                "confirmedOn": (on + dt.timedelta(days=rng.randint(30, 59))).isoformat(),
            }
            if broken:
                fulfilment["undone"] = "逾期未履行承诺事项"
            kept.append((department, fulfilment))
    return made, kept


def _credit_uploads(records: list[dict[str, Any]]) -> list[tuple[str, list[bytes]]]:
    by_department: dict[str, list[bytes]] = {}
    for record in records:
        department = record.get("department") or record.get("court") or record.get("source")
        by_department.setdefault(str(department), []).append(orjson.dumps(record))
    return sorted(by_department.items())


def demo_uploads(enterprises: int, seed: int) -> Iterator[tuple[str, list[bytes]]]:
    """(department, lines) of every upload of the demo county, in the order they are sent."""
    for index, seg in enumerate(generate(enterprises, seed)):
        made, kept = commitment_records(seg, seed, index)
        yield from segment_uploads(seg) + _credit_uploads(credit_records(seg, seed, index) + made)
        # A fulfilment names a commitment stored by an earlier upload: one more per department.
        by_department: dict[str, list[bytes]] = {}
        for department, fulfilment in kept:
            by_department.setdefault(department, []).append(orjson.dumps(fulfilment))
        yield from sorted(by_department.items())


def demo_totals(reports: list[ImportReport], started: float) -> dict[str, Any]:
    """The summary `credit-hub seed` prints; a failed or partly rejected upload is an error."""
    totals: dict[str, Any] = {"lines": 0, "accepted": 0, "rejected": 0, "created": 0}
    for report in reports:
        if not report.committed or report.rejected:
            first = report.errors[:3]
            raise RuntimeError(f"demo upload failed: {report.failure} {first}")
        totals["lines"] += report.lines
        totals["accepted"] += report.accepted
        totals["created"] += report.created
    totals["seconds"] = round(time.perf_counter() - started, 1)
    return totals


async def seed_demo(
    store: Store,
    settings: Settings,
    *,
    enterprises: int,
    seed: int,
    progress: ProgressSink | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    reports = []
    for department, lines in demo_uploads(enterprises, seed):
        report = await run_import(
            store,
            lines,
            actor=SYSTEM,
            department=department,
            source=f"seed-{seed}",
            chunk=settings.import_chunk_size,
            commit_records=settings.import_commit_records,
            parallel=settings.import_parallel_units,
            progress=progress,
        )
        demo_totals([report], started)  # stops at the first failed upload
        reports.append(report)
    return {"enterprises": enterprises, "seed": seed, **demo_totals(reports, started)}
