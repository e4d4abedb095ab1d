"""The explorer's exports, pure (no Neo4j): JSON, GraphML, CSV, BODS 0.4 statements validated by
libcovebods, FollowTheMoney entities built through its model; bad input named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from followthemoney import model
from libcovebods.config import LibCoveBODSConfig
from libcovebods.data_reader import DataReader
from libcovebods.jsonschemavalidate import JSONSchemaValidator
from libcovebods.run_tasks import TASK_CLASSES, process_additional_checks
from libcovebods.schema import SchemaBODS
from libcovebods.tasks.checks import legacy_checks, record_based_checks

from hub.errors import InvalidInput
from hub.identifiers import make_id_number, make_uscc
from web.explorer import formats, standards
from web.explorer.graph_model import parse

TARGET = make_uscc("9", "1", "451031", "MA5EX0001")  # 隆林金鑫建材有限公司
PARENT = make_uscc("9", "1", "451031", "MA5EX0002")  # 百色矿业集团有限公司
BRANCH = make_uscc("9", "1", "451031", "MA5EX0003")
OWNER = make_id_number("451031", dt.date(1970, 5, 1), 21)  # 黄金鑫
FORMER_REP = make_id_number("451031", dt.date(1968, 2, 3), 22)  # 韦老四, left in 2019
DAY = dt.date(2026, 12, 7)

# An enterprise held 60 % by a group and 40 % by a person who is also its legal representative
# now; a former legal representative whose role ended; an address, a phone and a branch.
STORY: dict[str, Any] = {
    "asOf": None,
    "nodes": [
        {"id": f"E:{TARGET}", "kind": "ENTERPRISE", "label": "隆林金鑫建材有限公司", "key": TARGET},
        {"id": f"E:{PARENT}", "kind": "ENTERPRISE", "label": "百色矿业集团有限公司", "key": PARENT},
        {
            "id": f"E:{BRANCH}",
            "kind": "ENTERPRISE",
            "label": "隆林金鑫建材有限公司者浪分公司",
            "key": BRANCH,
        },
        {"id": f"P:{OWNER}", "kind": "PERSON", "label": "黄金鑫", "key": OWNER},
        {"id": f"P:{FORMER_REP}", "kind": "PERSON", "label": "韦老四", "key": FORMER_REP},
        {
            "id": "A:隆林县新州镇民族路8号",
            "kind": "ADDRESS",
            "label": "隆林县新州镇民族路8号",
            "key": "隆林县新州镇民族路8号",
        },
        {"id": "T:07768201234", "kind": "PHONE", "label": "0776-8201234", "key": "07768201234"},
    ],
    "edges": [
        {
            "id": "HOLDS_SHARES:1",
            "source": f"E:{PARENT}",
            "target": f"E:{TARGET}",
            "type": "HOLDS_SHARES",
            "role": None,
            "share": 0.6,
            "from": "2015-03-01",
            "to": None,
        },
        {
            "id": "HOLDS_SHARES:2",
            "source": f"P:{OWNER}",
            "target": f"E:{TARGET}",
            "type": "HOLDS_SHARES",
            "role": None,
            "share": 0.4,
            "from": "2015-03-01",
            "to": None,
        },
        {
            "id": "LEGAL_REPRESENTATIVE_OF:3",
            "source": f"P:{OWNER}",
            "target": f"E:{TARGET}",
            "type": "LEGAL_REPRESENTATIVE_OF",
            "role": "LEGAL_REPRESENTATIVE",
            "share": None,
            "from": "2020-01-01",
            "to": None,
        },
        {
            "id": "LEGAL_REPRESENTATIVE_OF:4",
            "source": f"P:{FORMER_REP}",
            "target": f"E:{TARGET}",
            "type": "LEGAL_REPRESENTATIVE_OF",
            "role": "LEGAL_REPRESENTATIVE",
            "share": None,
            "from": "2015-03-01",
            "to": "2019-12-31",
        },
        {
            "id": "OFFICER_OF:5",
            "source": f"P:{FORMER_REP}",
            "target": f"E:{PARENT}",
            "type": "OFFICER_OF",
            "role": "DIRECTOR",
            "share": None,
            "from": "2012-01-01",
            "to": None,
        },
        {
            "id": "CONTROLS:6",
            "source": f"P:{OWNER}",
            "target": f"E:{PARENT}",
            "type": "CONTROLS",
            "role": "ACTUAL_CONTROLLER",
            "share": None,
            "from": "2016-01-01",
            "to": None,
        },
        {
            "id": "BRANCH_OF:7",
            "source": f"E:{BRANCH}",
            "target": f"E:{TARGET}",
            "type": "BRANCH_OF",
            "role": None,
            "share": None,
            "from": None,
            "to": None,
        },
        {
            "id": "LOCATED_AT:8",
            "source": f"E:{TARGET}",
            "target": "A:隆林县新州镇民族路8号",
            "type": "LOCATED_AT",
            "role": None,
            "share": None,
            "from": None,
            "to": None,
        },
        {
            "id": "REACHABLE_AT:9",
            "source": f"E:{TARGET}",
            "target": "T:07768201234",
            "type": "REACHABLE_AT",
            "role": None,
            "share": None,
            "from": None,
            "to": None,
        },
    ],
}


@pytest.fixture(autouse=True)
def offline_org_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two of libcovebods' checks download the org-id.guide list of organisation identifier
    prefixes when they start (one of them, written for BODS before 0.4, also runs on 0.4: its
    version test is ``<=``). Offline they get an empty list: every check still runs, and the
    list matters only for an identifier with a ``scheme``, which this hub's entities do not
    give (they name theirs by ``schemeName``)."""
    for module in (legacy_checks, record_based_checks):
        monkeypatch.setattr(module, "get_orgids_prefixes", list)


def bods_problems(statements: list[dict[str, Any]], folder: Path) -> tuple[list[Any], list[Any]]:
    """libcovebods' schema errors and the results of all its additional checks."""
    path = folder / "statements.json"
    path.write_text(json.dumps(statements, ensure_ascii=False), encoding="utf-8")
    reader = DataReader(str(path))
    config = LibCoveBODSConfig()
    schema = SchemaBODS(reader, config)
    errors = [e.json() for e in JSONSchemaValidator(schema).validate(reader)]
    checks = process_additional_checks(reader, config, schema, TASK_CLASSES)
    return errors, checks["additional_checks"]


def test_bods_statements_of_the_story_have_no_validation_errors(tmp_path: Path) -> None:
    exported = standards.to_bods(parse(STORY), DAY)
    kinds = [s["recordType"] for s in exported.statements]
    assert kinds.count("entity") == 3 and kinds.count("person") == 2
    assert kinds.count("relationship") == 6  # 2 holdings, 2 legal reps, a director, a controller
    errors, checks = bods_problems(exported.statements, tmp_path)
    assert errors == [] and checks == []
    assert exported.skipped == 2  # the phone and the branch have no BODS form


def test_bods_shares_roles_and_dates() -> None:
    exported = standards.to_bods(parse(STORY), DAY)
    by_record = {s["recordId"]: s for s in exported.statements}
    holding = by_record["R:HOLDS_SHARES:2"]["recordDetails"]
    assert holding["subject"] == f"E:{TARGET}" and holding["interestedParty"] == f"P:{OWNER}"
    assert holding["interests"] == [
        {
            "type": "shareholding",
            "directOrIndirect": "direct",
            "share": {"exact": 40.0},
            "startDate": "2015-03-01",
        }
    ]
    former = by_record["R:LEGAL_REPRESENTATIVE_OF:4"]["recordDetails"]["interests"][0]
    assert former["type"] == "seniorManagingOfficial" and former["details"] == "法定代表人"
    assert former["endDate"] == "2019-12-31"
    assert by_record["R:OFFICER_OF:5"]["recordDetails"]["interests"][0]["type"] == "boardMember"
    person = by_record[f"P:{OWNER}"]["recordDetails"]
    assert person["identifiers"][0] == {
        "id": OWNER,
        "scheme": "CHN-IDCARD",
        "schemeName": "居民身份证号码 (GB 11643)",
    }
    entity = by_record[f"E:{TARGET}"]["recordDetails"]
    assert entity["addresses"][0]["address"] == "隆林县新州镇民族路8号"
    # parties come before the relationships that name them; ids are stable for one day
    order = [s["recordType"] for s in exported.statements]
    assert order.index("relationship") > max(i for i, k in enumerate(order) if k != "relationship")
    again = standards.to_bods(parse(STORY), DAY)
    assert [s["statementId"] for s in again.statements] == [
        s["statementId"] for s in exported.statements
    ]
    assert len({s["statementId"] for s in exported.statements}) == len(exported.statements)


def test_bods_of_a_masked_person_carries_no_identifier(tmp_path: Path) -> None:
    masked = json.loads(json.dumps(STORY))
    masked["nodes"][3] = {
        "id": "P#4",
        "kind": "PERSON",
        "label": "黄金鑫",
        "key": OWNER[:4] + "**********" + OWNER[-4:],
    }
    for edge in masked["edges"]:
        edge["source"] = "P#4" if edge["source"] == f"P:{OWNER}" else edge["source"]
    graph = parse(masked)
    assert graph.persons == [FORMER_REP]
    exported = standards.to_bods(graph, DAY)
    person = next(s for s in exported.statements if s["recordId"] == "P#4")
    assert "identifiers" not in person["recordDetails"]
    assert bods_problems(exported.statements, tmp_path) == ([], [])


def test_ftm_entities_follow_the_model() -> None:
    entities = standards.to_ftm(parse(STORY))
    proxies = [model.get_proxy(e) for e in entities]  # raises on an unknown schema or property
    by_schema: dict[str, list[Any]] = {}
    for proxy in proxies:
        by_schema.setdefault(proxy.schema.name, []).append(proxy)
    assert {k: len(v) for k, v in by_schema.items()} == {
        "Address": 1,
        "Company": 3,
        "Person": 2,
        "Ownership": 2,
        "Directorship": 3,
        "Control": 1,
        "UnknownLink": 1,
    }
    ids = {p.id for p in proxies}
    for proxy in proxies:  # every entity reference points at an exported entity
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (proxy.schema.name, prop.name)
    owner = next(p for p in by_schema["Person"] if p.first("idNumber") == OWNER)
    holding = next(p for p in by_schema["Ownership"] if p.first("owner") == owner.id)
    assert holding.first("percentage") == "40" and holding.first("startDate") == "2015-03-01"
    target = next(p for p in by_schema["Company"] if p.first("registrationNumber") == TARGET)
    assert target.first("addressEntity") == by_schema["Address"][0].id
    assert holding.first("asset") == target.id
    former = [p for p in by_schema["Directorship"] if p.first("endDate") == "2019-12-31"]
    assert [p.first("role") for p in former] == ["法定代表人"]
    assert by_schema["Control"][0].first("role") == "实际控制人"


def test_json_graphml_and_csv_carry_every_node_and_edge() -> None:
    graph = parse({**STORY, "asOf": "2026-12-07"})
    data = formats.to_json(graph)
    assert data["asOf"] == "2026-12-07" and len(data["nodes"]) == 7 and len(data["edges"]) == 9
    assert parse(data) == graph  # the JSON export reads back as the same graph
    root = ElementTree.fromstring(formats.to_graphml(graph))  # noqa: S314 - our own output
    ns = {"g": formats.GRAPHML_NS}
    assert len(root.findall("g:graph/g:node", ns)) == 7
    edges = root.findall("g:graph/g:edge", ns)
    assert len(edges) == 9
    share = edges[1].find("g:data[@key='e_share']", ns)
    assert share is not None and share.text == "0.4"
    text = formats.to_csv(graph)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 9  # every node is at an edge's end
    assert rows[1]["source_label"] == "黄金鑫" and rows[1]["share"] == "0.4"
    assert rows[3]["to"] == "2019-12-31" and rows[3]["target_key"] == TARGET


def test_csv_lists_a_node_without_edges_and_defuses_formulas() -> None:
    lone = {
        "nodes": [{"id": "E:x", "kind": "ENTERPRISE", "label": "=HYPERLINK(1)", "key": "x"}],
        "edges": [],
    }
    rows = list(csv.DictReader(io.StringIO(formats.to_csv(parse(lone)).lstrip("\ufeff"))))
    assert rows == [
        {
            **dict.fromkeys(formats.CSV_COLUMNS, ""),
            "source_id": "E:x",
            "source_kind": "ENTERPRISE",
            "source_key": "x",
            "source_label": "'=HYPERLINK(1)",
        }
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g["nodes"][0].update(kind="SHIP"), "nodes[0]: kind 'SHIP' is not one of"),
        (
            lambda g: g["edges"][2].update(source="E:nowhere"),
            "edges[2]: source 'E:nowhere' is not a node",
        ),
        (lambda g: g["edges"][0].update(share=1.5), "edges[0]: share must be a number from 0 to 1"),
        (lambda g: g["edges"][3].update(to="31.12.2019"), "edges[3]: to is not a date yyyy-mm-dd"),
        (lambda g: g["edges"][4].update(role="KING"), "edges[4]: role 'KING' is not known"),
        (lambda g: g.update(edges={}), "edges: a list is required"),
        (lambda g: g["nodes"][1].pop("id"), "nodes[1]: id is missing"),
    ],
)
def test_bad_graph_is_refused_naming_element_field_and_reason(change: Any, message: str) -> None:
    bad = json.loads(json.dumps(STORY))
    change(bad)
    with pytest.raises(InvalidInput) as refused:
        parse(bad)
    assert refused.value.message.startswith(message)
