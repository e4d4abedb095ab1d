"""双公示 tables (CSV / XLSX, both templates, both generations) through the importer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hub.auth import SYSTEM, Actor, Role
from hub.importer.records import digest
from hub.importer.report import ImportReport
from hub.importer.shuanggongshi.sources import Format
from hub.importer.shuanggongshi.upload import import_table
from hub.store import Store
from tests import factories as f
from tests import shuanggongshi_files as t
from tests.conftest import GQL, load
from tests.test_import import count

pytestmark = pytest.mark.neo4j
TODAY = dt.date(2026, 6, 30)


async def upload(
    store: Store,
    data: bytes,
    fmt: Format = Format.CSV,
    department: str = "AMR",
    name: str = "file.csv",
) -> ImportReport:
    return await import_table(
        store, data, fmt, actor=SYSTEM, department=department, source=name, today=TODAY
    )


def errors(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.reason) for e in report.errors]


async def test_new_penalty_csv_creates_the_action_and_its_unknown_subject(
    graph: Store, gql: GQL
) -> None:
    firm = f.uscc()
    cells = t.table(t.NEW_PENALTY, [t.new_penalty(firm, "隆市监罚〔2024〕12号")])
    report = await upload(graph, t.csv_file(cells))
    assert report.committed and errors(report) == [], report.as_dict()
    assert report.accepted == 1 and report.lines == 1
    assert report.table == {
        "format": "csv",
        "encoding": "utf-8",
        "template": "PENALTY",
        "generation": "2.0",
    }
    assert (
        await count(
            graph,
            "MATCH (a:Action {type: 'PENALTY', amount: 2000.0})-[:ABOUT]->(e:Enterprise {uscc: $u}) RETURN count(*)",
            u=firm,
        )
        == 1
    )
    assert (
        await count(
            graph,
            "MATCH (e:Enterprise {uscc: $u, createdFrom: 'file.csv', name: '隆林金鑫建材有限公司', tieKey: $u})"
            " RETURN count(*)",
            u=firm,
        )
        == 1
    )
    # Found by its pinyin initials, as a subject of an entity line is (the site's search).
    found = await gql.ok(
        '{ search(text: "lljxjc", first: 5) { nodes { subject { ... on Enterprise { uscc } } } } }'
    )
    assert [hit["subject"]["uscc"] for hit in found["search"]["nodes"]] == [firm]


async def test_new_penalty_xlsx_reads_like_the_csv(graph: Store) -> None:
    firm = f.uscc()
    cells = t.table(
        t.NEW_PENALTY, [t.new_penalty(firm, "隆市监罚〔2024〕13号", **{"罚款金额(万元)": ""})]
    )
    cells[1][cells[0].index("罚款金额（万元）")] = 0.2  # a number cell, as a spreadsheet keeps it
    report = await upload(graph, t.xlsx_file(cells), Format.XLSX, name="处罚.xlsx")
    assert report.committed and errors(report) == [], report.as_dict()
    assert report.table is not None and report.table["format"] == "xlsx"
    assert (
        await count(
            graph,
            "MATCH (a:Action {amount: 2000.0, penalties: ['WARNING', 'FINE']}) RETURN count(*)",
        )
        == 1
    )


async def test_old_generation_penalty_keeps_status_scope_and_severity(graph: Store) -> None:
    shop, person = f.uscc(), f.id_number("1975-01-02")
    rows = [
        t.old_penalty(
            shop, "隆工商处字〔2017〕8号", 失信严重程度="3", 信息使用范围="1", 居民身份证号=person
        ),
        t.old_penalty(shop, "隆工商处字〔2017〕9号", 当前状态="3", 备注="已移送公安"),
    ]
    report = await upload(graph, t.csv_file(t.table(t.OLD_PENALTY, rows)))
    assert report.committed and errors(report) == [], report.as_dict()
    assert report.table is not None and report.table["generation"] == "1.0"
    stored = await count(
        graph,
        "MATCH (a:Action {severity: 'SERIOUS', disclosure: 'GOVERNMENT', creditSeverity: '3', "
        "legalRepresentativeId: $p, divisionCode: '451031'})-[:ABOUT]->(:Enterprise {uscc: $u}) RETURN count(*)",
        u=shop,
        p=person,
    )
    assert stored == 1
    assert (
        await count(
            graph, "MATCH (a:Action {templateStatus: '3', severity: 'GENERAL'}) RETURN count(*)"
        )
        == 1
    )


async def test_licences_of_both_generations_long_term_and_old_suffixes(graph: Store) -> None:
    firm, other = f.uscc(), f.uscc()
    new = await upload(
        graph,
        t.xlsx_file(t.table(t.NEW_LICENSE, [t.new_license(firm, "隆食许〔2023〕1号")])),
        Format.XLSX,
    )
    old = await upload(
        graph, t.csv_file(t.table(t.OLD_LICENSE, [t.old_license(other, "空", 许可内容="采矿许可")]))
    )
    assert errors(old) == [
        (
            2,
            "行政许可决定书文号",
            "required column is empty (write 空 when there is none, and give 许可编号)",
        )
    ]
    assert new.committed and errors(new) == [], new.as_dict()
    assert new.table is not None and new.table["template"] == "LICENSE"
    assert (
        await count(
            graph,
            "MATCH (a:Action {type: 'LICENSE', longTerm: true}) WHERE a.validTo IS NULL RETURN count(*)",
        )
        == 1
    )
    old = await upload(
        graph, t.csv_file(t.table(t.OLD_LICENSE, [t.old_license(other, "隆国土许〔2017〕3号")]))
    )
    assert (
        old.committed
        and errors(old) == []
        and old.table is not None
        and old.table["generation"] == "1.0"
    )
    assert (
        await count(
            graph,
            "MATCH (a:Action {type: 'LICENSE', disclosure: 'GOVERNMENT', validTo: date('2022-05-01')}) RETURN count(*)",
        )
        == 1
    )


async def test_gb18030_and_bom_files_read_the_same(graph: Store) -> None:
    firm = f.uscc()
    cells = t.table(
        t.NEW_PENALTY,
        [t.new_penalty(firm, "隆市监罚〔2024〕20号", 行政相对人名称="隆林县㐀䶮商贸有限公司")],
    )
    gb = await upload(graph, t.csv_file(cells, "gb18030"))
    assert (
        gb.committed
        and errors(gb) == []
        and gb.table is not None
        and gb.table["encoding"] == "gb18030"
    )
    bom = await upload(graph, t.csv_file(cells, "utf-8-sig"))
    assert (
        bom.committed
        and errors(bom) == []
        and bom.table is not None
        and bom.table["encoding"] == "utf-8-sig"
    )
    assert bom.unchanged == 1
    assert (
        await count(
            graph, "MATCH (a:Action {subjectName: '隆林县㐀䶮商贸有限公司'}) RETURN count(*)"
        )
        == 1
    )


async def test_header_problems_are_reported_once_before_any_line(graph: Store) -> None:
    firm = f.uscc()
    cells = t.table(
        t.NEW_PENALTY, [t.new_penalty(firm, f"隆市监罚〔2024〕{n}号") for n in range(3)]
    )
    position = cells[0].index("违法事实")
    for row in cells:
        del row[position]
    cells[0].append("经办人")
    for row in cells[1:]:
        row.append("张三")
    report = await upload(graph, t.csv_file(cells))
    assert not report.committed and report.failure_code == "INVALID_HEADER"
    assert errors(report) == [
        (1, "经办人", "unknown column for the PENALTY template (2.0)"),
        (1, "违法事实", "required column is missing (PENALTY template, generation 2.0)"),
    ]
    assert report.lines == 0 and report.accepted == 0
    assert await count(graph, "MATCH (a:Action) RETURN count(a)") == 0


def _rejections(firm: str, person: str) -> list[tuple[dict[str, str], str, str]]:
    """(row changes, the column as the file writes it, the reason)."""
    return [
        ({"违法事实": ""}, "违法事实", "required column is empty"),
        ({"行政相对人类别": "企业"}, "行政相对人类别", "unknown 行政相对人类别 '企业'"),
        (
            {"行政相对人类别": "自然人", "统一社会信用代码": ""},
            "证件号码",
            "a natural person (自然人) needs 证件类型 and 证件号码",
        ),
        (
            {"行政相对人类别": "自然人", "证件号码": person},
            "证件类型",
            "自然人: 证件类型 is required with 证件号码",
        ),
        (
            {"行政相对人类别": "自然人", "证件类型": "身份", "证件号码": person},
            "证件类型",
            "unknown 证件类型 '身份'",
        ),
        (
            {"行政相对人类别": "01", "证件类型": "02", "证件号码": "E12345678"},
            "证件类型",
            "type 02 cannot be recorded",
        ),
        (
            {
                "行政相对人类别": "1",
                "证件类型": "01",
                "证件号码": person[:-1] + ("0" if person[-1] != "0" else "1"),
            },
            "证件号码",
            "invalid ID number",
        ),
        (
            {
                "行政相对人类别": "个体工商户",
                "统一社会信用代码": "00000000000000000X",
                "法定代表人证件类型": "01",
                "法定代表人证件号码": person,
            },
            "行政相对人代码_2 （工商注册号）",
            "with the placeholder USCC 00000000000000000X, 工商注册号 is required",
        ),
        (
            {
                "行政相对人类别": "04",
                "统一社会信用代码": "00000000000000000X",
                "工商注册号": "451031600012345",
            },
            "法定代表人证件号码",
            "an individual business without a USCC is recorded on its operator",
        ),
        (
            {"统一社会信用代码": ""},
            "行政相对人代码_1(统一社会信用代码)",
            "统一社会信用代码 is required for 法人及非法人组织",
        ),
        (
            {"统一社会信用代码": "00000000000000000X"},
            "行政相对人代码_1(统一社会信用代码)",
            "the placeholder 00000000000000000X is for 个体工商户 only",
        ),
        (
            {"统一社会信用代码": firm[:-1] + ("0" if firm[-1] != "0" else "1")},
            "行政相对人代码_1(统一社会信用代码)",
            "invalid USCC",
        ),
        ({"处罚决定日期": "2024年三月"}, "处罚决定日期", "is not a date"),
        ({"处罚决定日期": "2023/02/30"}, "处罚决定日期", "is not a real date"),
        ({"处罚决定日期": "1900-01-01"}, "处罚决定日期", "outside 1949-10-01..2099-12-31"),
        (
            {"处罚决定日期": "2026-07-01", "处罚有效期": "2027-07-01", "公示截止期": ""},
            "处罚决定日期",
            "is after today (2026-06-30)",
        ),
        (
            {"处罚有效期": "2024-01-01"},
            "处罚有效期",
            "2024-01-01 is before the decision date 2024-03-05",
        ),
        (
            {"公示截止期": "2024-03-01"},
            "公示截止期",
            "2024-03-01 is before the decision date 2024-03-05",
        ),
        ({"罚款金额(万元)": "两千"}, "罚款金额（万元）", "is not an amount in 万元"),
        ({"罚款金额(万元)": "-1"}, "罚款金额（万元）", "is not an amount ≥ 0"),
        ({"罚款金额(万元)": "0.1234567"}, "罚款金额（万元）", "has more than 6 decimals"),
        ({"处罚类别": "警告；拘役"}, "处罚类别", "unknown 处罚类别 '拘役'"),
        (
            {
                "处罚类别": "通报批评",
                "处罚决定日期": "2021-07-14",
                "处罚有效期": "2022-07-14",
                "公示截止期": "",
            },
            "处罚类别",
            "处罚类别 '通报批评' exists from 2021-07-15",
        ),
        ({"处罚机关统一社会信用代码": ""}, "处罚机关统一社会信用代码", "required column is empty"),
        ({"违法行为类型": "销售\x07不合格建材"}, "违法行为类型", "contains a control character"),
    ]


async def test_every_row_rejection_names_row_header_and_reason(graph: Store) -> None:
    firm, person = f.uscc(), f.id_number("1988-08-08")
    cases = _rejections(firm, person)
    rows = [
        t.new_penalty(firm, f"隆市监罚〔2024〕{100 + n}号", **changes)
        for n, (changes, _, _) in enumerate(cases)
    ]
    rows.append(t.new_penalty(firm, "隆市监罚〔2024〕99号"))  # a good row among them
    rows.append(
        t.new_penalty(firm, "隆市监罚〔2024〕99号", 处罚内容="警告")
    )  # same decision, other content
    report = await upload(graph, t.csv_file(t.table(t.NEW_PENALTY, rows)))
    assert report.committed and report.accepted == 1 and report.rejected == len(cases) + 1
    found = {e.line: (e.field, e.reason) for e in report.errors}
    for n, (_, header, reason) in enumerate(cases):
        line = n + 2  # the header is row 1
        assert line in found, (line, header, reason)
        assert found[line][0] == header and reason in found[line][1], (
            line,
            found[line],
            header,
            reason,
        )
    duplicate = found[len(cases) + 3]
    assert duplicate[1] == f"same key as line {len(cases) + 2} with different content"


async def test_old_generation_rejections(graph: Store) -> None:
    shop = f.uscc()
    cases = [
        ({"当前状态": "5"}, "当前状态", "unknown 当前状态 '5'"),
        ({"当前状态": "3"}, "备注", "当前状态 3 (其他) is explained in 备注"),
        ({"信息使用范围": "公开"}, "信息使用范围", "unknown 信息使用范围 '公开'"),
        ({"地方编码": "4510"}, "地方编码", "is not a 6-digit division code"),
        ({"数据更新时间戳": "2017-06-01"}, "数据更新时间戳", "is before the decision (2017-06-12)"),
        ({"失信严重程度": "4"}, "失信严重程度", "unknown 失信严重程度 '4'"),
        (
            {"法定代表人": ""},
            "法定代表人姓名",
            "法定代表人姓名 is required for a non-natural person (1.0)",
        ),
    ]
    rows = [
        t.old_penalty(shop, f"隆工商处字〔2017〕{n}号", **changes)
        for n, (changes, _, _) in enumerate(cases)
    ]
    report = await upload(graph, t.csv_file(t.table(t.OLD_PENALTY, rows)))
    found = {e.line: (e.field, e.reason) for e in report.errors}
    for n, (_, header, reason) in enumerate(cases):
        assert found[n + 2][0] == header and reason in found[n + 2][1], (
            found.get(n + 2),
            header,
            reason,
        )
    assert report.accepted == 0


async def test_yuan_written_in_the_wan_yuan_column_is_a_warning(graph: Store) -> None:
    firm = f.uscc()
    row = t.new_penalty(
        firm, "隆市监罚〔2024〕30号", 处罚内容="罚款2000元", **{"罚款金额(万元)": "2000"}
    )
    report = await upload(graph, t.csv_file(t.table(t.NEW_PENALTY, [row])))
    assert report.committed and report.accepted == 1 and errors(report) == []
    assert report.warnings_total == 1
    warning = report.warnings[0]
    assert (warning.line, warning.field) == (2, "罚款金额（万元）")
    assert "the text says 2000元" in warning.reason and "0.2 was probably meant" in warning.reason
    fine = t.new_penalty(f.uscc(), "隆市监罚〔2024〕31号")  # 0.2 万元 and 罚款2000元 agree
    assert (await upload(graph, t.csv_file(t.table(t.NEW_PENALTY, [fine])))).warnings_total == 0


async def test_placeholder_uscc_records_the_individual_business_on_its_operator(
    graph: Store,
) -> None:
    operator = f.id_number("1979-09-09")
    row = t.new_penalty(
        "",
        "隆市监罚〔2024〕40号",
        行政相对人名称="隆林县新州镇阿明小吃店",
        行政相对人类别="个体工商户",
        统一社会信用代码="00000000000000000Ｘ",  # full-width X, as typed on a Chinese keyboard
        工商注册号="451031600012345",
        法定代表人="黄阿明",
        法定代表人证件类型="身份证",
        法定代表人证件号码=operator,
    )
    report = await upload(graph, t.csv_file(t.table(t.NEW_PENALTY, [row])))
    assert report.committed and errors(report) == [], report.as_dict()
    found = await count(
        graph,
        "MATCH (a:Action {subjectClass: '个体工商户', registrationNumber: '451031600012345', subjectName: '隆林县新州镇阿明小吃店'})"
        "-[:ABOUT]->(p:Person {idNumber: $p, name: '黄阿明'}) RETURN count(*)",
        p=operator,
    )
    assert found == 1


async def test_a_known_subject_is_not_overwritten_by_a_row(graph: Store) -> None:
    firm = f.uscc()
    await load(graph, [f.enterprise(firm, "隆林金鑫建材有限责任公司", registeredOn="2010-01-01")])
    row = t.new_penalty(firm, "隆市监罚〔2024〕50号", 行政相对人名称="金鑫建材")
    report = await upload(graph, t.csv_file(t.table(t.NEW_PENALTY, [row])))
    assert report.committed and report.accepted == 1
    assert (
        await count(
            graph,
            "MATCH (e:Enterprise {uscc: $u, name: '隆林金鑫建材有限责任公司'}) WHERE e.createdFrom IS NULL RETURN count(*)",
            u=firm,
        )
        == 1
    )


async def test_public_readers_see_only_records_disclosed_to_the_public(
    graph: Store, gql: Any
) -> None:
    from hub.auth import PUBLIC

    shop = f.uscc()
    rows = [
        t.old_penalty(
            shop,
            "隆工商处字〔2017〕1号",
            处罚决定日期="20260301",
            数据更新时间戳="2026-03-02",
            信息使用范围="0",
        ),
        t.old_penalty(
            shop,
            "隆工商处字〔2017〕2号",
            处罚决定日期="20260302",
            数据更新时间戳="2026-03-02",
            信息使用范围="1",
        ),
        t.old_penalty(
            shop,
            "隆工商处字〔2017〕3号",
            处罚决定日期="20260303",
            数据更新时间戳="2026-03-04",
            信息使用范围="2",
        ),
    ]
    report = await upload(graph, t.csv_file(t.table(t.OLD_PENALTY, rows)))
    assert report.accepted == 3, report.as_dict()
    query = "query($u: String!) { enterprise(uscc: $u) { actions(first: 10) { nodes { documentNumber } } } }"
    public = await gql.ok(query, {"u": shop}, actor=PUBLIC)
    assert [n["documentNumber"] for n in public["enterprise"]["actions"]["nodes"]] == [
        "隆工商处字〔2017〕1号"
    ]
    admin = await gql.ok(query.replace("documentNumber", "documentNumber disclosure"), {"u": shop})
    assert {
        n["documentNumber"]: n["disclosure"] for n in admin["enterprise"]["actions"]["nodes"]
    } == {
        "隆工商处字〔2017〕1号": "PUBLIC",
        "隆工商处字〔2017〕2号": "GOVERNMENT",
        "隆工商处字〔2017〕3号": "AUTHORIZED",
    }
    # The site's newest records (首页) follow the same rule.
    recent = await gql.ok(
        "{ recentActions(first: 50) { action { documentNumber } } }", actor=PUBLIC
    )
    shown = {item["action"]["documentNumber"] for item in recent["recentActions"]}
    assert "隆工商处字〔2017〕1号" in shown
    assert not shown & {"隆工商处字〔2017〕2号", "隆工商处字〔2017〕3号"}


async def test_a_row_refused_when_written_leaves_no_subject_behind(graph: Store) -> None:
    """The action id of a row already belongs to another department: the row is refused with
    that reason once, and the unknown subject it names is not created (nothing half-written)."""
    known, stranger, other = f.uscc(), f.uscc(), f.uscc()
    document = "隆市监罚〔2024〕77号"
    taken = "SGS-P-" + digest("AMR", document, "Enterprise", stranger)
    officer = Actor(Role.DEPARTMENT, "key-eco", "ECOENV")
    seeded = await load(
        graph,
        [f.enterprise(known), f.action(taken, {"uscc": known}, "PENALTY", department="ECOENV")],
        department="ECOENV",
        actor=officer,
    )
    assert seeded.accepted == 2, seeded.as_dict()
    cells = t.table(
        t.NEW_PENALTY,
        [
            t.new_penalty(stranger, document),
            t.new_penalty(other, "隆市监罚〔2024〕78号"),
            t.new_penalty(stranger, "隆市监罚〔2024〕79号"),  # the same subject again
        ],
    )
    report = await upload(graph, t.csv_file(cells))
    assert report.committed and report.accepted == 1 and report.rejected == 2, report.as_dict()
    [(line, fld, reason), (again, _, why)] = errors(report)
    assert (line, fld) == (2, "id") and "already exists from ECOENV" in reason
    assert again == 4 and "line 2, which was rejected" in why
    created = "MATCH (e:Enterprise {uscc: $u}) RETURN count(e)"
    assert await count(graph, created, u=stranger) == 0
    assert await count(graph, created, u=other) == 1
    kept = "MATCH (a:Action {id: $id, department: 'ECOENV'})-[:ABOUT]->(:Enterprise {uscc: $u}) RETURN count(a)"
    assert await count(graph, kept, id=taken, u=known) == 1
