"""双公示 files written by the tests: both templates, both generations, real header spellings.

A row is given by column meaning (the template's canonical header, e.g. ``处罚决定日期``); the
file writes it under the header as a department's file spells it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bench.tables import xlsx_shared
from tests import factories as f

# 2.0 penalty headers as seen in real files: full-width and ASCII brackets, a space before the
# bracket, '-' and '＿' for '_', the synonym 行政处罚决定文书号.
NEW_PENALTY: dict[str, str] = {
    "行政相对人名称": "行政相对人名称",
    "行政相对人类别": "行政相对人类别",
    "统一社会信用代码": "行政相对人代码_1(统一社会信用代码)",
    "工商注册号": "行政相对人代码_2 （工商注册号）",
    "组织机构代码": "行政相对人代码-3（组织机构代码）",
    "税务登记号": "行政相对人代码＿4(税务登记号)",
    "事业单位证书号": "行政相对人代码_5（事业单位证书号）",
    "社会组织登记证号": "行政相对人代码_6（社会组织登记证号）",
    "法定代表人": "法定代表人",
    "法定代表人证件类型": "法定代表人证件类型",
    "法定代表人证件号码": "法定代表人证件号码",
    "证件类型": "证件类型",
    "证件号码": "证件号码",
    "行政处罚决定书文号": "行政处罚决定文书号",
    "违法行为类型": "违法行为类型",
    "违法事实": "违法事实",
    "处罚依据": "处罚依据",
    "处罚类别": "处罚类别",
    "处罚内容": "处罚内容",
    "罚款金额(万元)": "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额(万元)": "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号": "暂扣或吊销证照名称及编号",
    "处罚决定日期": "处罚决定日期",
    "处罚有效期": "处罚有效期",
    "公示截止期": "公示截止期",
    "处罚机关": "处罚机关",
    "处罚机关统一社会信用代码": "处罚机关统一社会信用代码",
    "数据来源单位": "数据来源单位",
    "数据来源单位统一社会信用代码": "数据来源单位统一社会信用代码",
    "备注": "备注",
}

# 1.0 penalty: _2 is 组织机构代码 and _5 居民身份证号 there; 文号 as the document column.
OLD_PENALTY: dict[str, str] = {
    "行政相对人名称": "行政相对人名称",
    "统一社会信用代码": "行政相对人代码_1（统一社会信用代码）",
    "组织机构代码": "行政相对人代码_2（组织机构代码）",
    "工商注册号": "行政相对人代码_3（工商登记码）",
    "税务登记号": "行政相对人代码_4（税务登记号）",
    "居民身份证号": "行政相对人代码_5（居民身份证号）",
    "法定代表人": "法定代表人姓名",
    "行政处罚决定书文号": "文号",
    "处罚名称": "处罚名称",
    "行政处罚编码": "行政处罚编码",
    "处罚类别": "处罚类别",
    "处罚事由": "处罚事由",
    "处罚依据": "处罚依据",
    "处罚结果": "处罚结果",
    "罚款金额(万元)": "罚款金额(万元)",
    "处罚决定日期": "处罚决定日期",
    "处罚机关": "处罚机关",
    "当前状态": "当前状态",
    "地方编码": "地方编码",
    "数据更新时间戳": "数据更新时间戳",
    "信息使用范围": "信息使用范围",
    "失信严重程度": "失信严重程度",
    "备注": "备注",
}

NEW_LICENSE: dict[str, str] = {
    "行政相对人名称": "行政相对人名称",
    "行政相对人类别": "行政相对人类别",
    "统一社会信用代码": "行政相对人代码_1（统一社会信用代码）",
    "工商注册号": "行政相对人代码_2（工商注册号）",
    "法定代表人": "法定代表人",
    "法定代表人证件类型": "法定代表人证件类型",
    "法定代表人证件号码": "法定代表人证件号码",
    "证件类型": "证件类型",
    "证件号码": "证件号码",
    "行政许可决定文书名称": "行政许可决定文书名称",
    "行政许可决定文书号": "许可决定书文号",
    "许可类别": "许可类别",
    "许可证书名称": "许可证书名称",
    "许可编号": "许可编号",
    "许可内容": "许可内容",
    "许可决定日期": "许可决定日期",
    "有效期自": "有效期自",
    "有效期至": "有效期至",
    "许可机关": "许可机关",
    "许可机关统一社会信用代码": "许可机关统一社会信用代码",
    "当前状态": "当前状态",
    "数据来源单位": "数据来源单位",
    "数据来源单位统一社会信用代码": "数据来源单位统一社会信用代码",
    "备注": "备注",
}

OLD_LICENSE: dict[str, str] = {
    "行政相对人名称": "行政相对人名称",
    "统一社会信用代码": "行政相对人代码_1(统一社会信用代码)",
    "组织机构代码": "行政相对人代码_2(组织机构代码)",
    "居民身份证号": "行政相对人代码_5(居民身份证号)",
    "法定代表人": "法定代表人姓名",
    "行政许可决定文书号": "行政许可决定书文号",
    "审批类别": "审批类别",
    "许可内容": "许可内容",
    "许可决定日期": "许可决定日期",
    "有效期自": "有效期自",
    "有效期至": "有效期至",
    "许可机关": "许可机关",
    "当前状态": "当前状态",
    "地方编码": "地方编码",
    "信息使用范围": "信息使用范围",
}

AMR_USCC = f.uscc("1", "1")  # 隆林各族自治县市场监督管理局 (an organ: authority 1, category 1)
AMR = "隆林各族自治县市场监督管理局"


def new_penalty(uscc: str, document: str, **values: str) -> dict[str, str]:
    row = {
        "行政相对人名称": "隆林金鑫建材有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": uscc,
        "法定代表人": "黄国明",
        "行政处罚决定书文号": document,
        "违法行为类型": "销售不合格建材",
        "违法事实": "经抽检，该公司销售的水泥强度不合格。",
        "处罚依据": "《中华人民共和国产品质量法》第四十九条",
        "处罚类别": "警告；罚款",
        "处罚内容": "警告，罚款2000元",
        "罚款金额(万元)": "0.2",
        "处罚决定日期": "2024/03/05",
        "处罚有效期": "2025/03/05",
        "公示截止期": "2025-03-05",
        "处罚机关": AMR,
        "处罚机关统一社会信用代码": AMR_USCC,
        "数据来源单位": AMR,
        "数据来源单位统一社会信用代码": AMR_USCC,
    }
    row.update(values)
    return row


def old_penalty(uscc: str, document: str, **values: str) -> dict[str, str]:
    row = {
        "行政相对人名称": "隆林县新州镇韦记百货店有限公司",
        "统一社会信用代码": uscc,
        "法定代表人": "韦秀英",
        "行政处罚决定书文号": document,
        "处罚名称": "未按规定公示年度报告",
        "处罚类别": "警告",
        "处罚事由": "未按规定公示2016年度报告",
        "处罚依据": "《企业信息公示暂行条例》",
        "处罚结果": "警告",
        "处罚决定日期": "20170612",
        "处罚机关": AMR,
        "当前状态": "0",
        "地方编码": "451031",
        "数据更新时间戳": "2017/06/20",
        "信息使用范围": "0",
        "失信严重程度": "1",
    }
    row.update(values)
    return row


def new_license(uscc: str, document: str, **values: str) -> dict[str, str]:
    row = {
        "行政相对人名称": "隆林金鑫建材有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": uscc,
        "法定代表人": "黄国明",
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": document,
        "许可类别": "普通",
        "许可证书名称": "食品经营许可证",
        "许可编号": "JY14510310001234",
        "许可内容": "预包装食品销售",
        "许可决定日期": "2023-01-10",
        "有效期自": "2023-01-10",
        "有效期至": "2099/12/31",
        "许可机关": AMR,
        "许可机关统一社会信用代码": AMR_USCC,
        "当前状态": "有效",
        "数据来源单位": AMR,
        "数据来源单位统一社会信用代码": AMR_USCC,
    }
    row.update(values)
    return row


def old_license(uscc: str, document: str, **values: str) -> dict[str, str]:
    row = {
        "行政相对人名称": "隆林金鑫建材有限公司",
        "统一社会信用代码": uscc,
        "法定代表人": "黄国明",
        "行政许可决定文书号": document,
        "审批类别": "普通",
        "许可内容": "建筑材料生产许可",
        "许可决定日期": "2017/05/02",
        "有效期自": "2017/05/02",
        "有效期至": "2022/05/01",
        "许可机关": AMR,
        "当前状态": "0",
        "地方编码": "451031",
        "信息使用范围": "1",
    }
    row.update(values)
    return row


def table(headers: dict[str, str], rows: list[dict[str, str]]) -> list[list[Any]]:
    """The header row (as spelled) and the rows in that column order."""
    unknown = {k for row in rows for k in row} - set(headers)
    assert not unknown, unknown
    return [list(headers.values())] + [[row.get(k, "") for k in headers] for row in rows]


def csv_file(cells: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(cells)
    return out.getvalue().encode(encoding)


def xlsx_file(cells: list[list[Any]]) -> bytes:
    """As a spreadsheet program saves it (shared strings; the export's own files are written by
    openpyxl, with inline strings: the round trip reads those)."""
    return xlsx_shared(cells, max(len(row) for row in cells), len(cells))
