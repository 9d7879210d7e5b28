"""Figures redrawn from tidy data: numbers, labels, fonts and byte-for-byte determinism.

The tidy frames are built here from the seed disclosure ``data/raw/qinshui-police-2025.txt``
(沁水县公安局 2025) following the tidy contract, so these tests do not depend on the reader.
"""

from __future__ import annotations

import io
import warnings
from decimal import Decimal

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont
from matplotlib.text import Text

from budgetkit import figures
from budgetkit.amounts import parse_amount, to_yuan
from budgetkit.codes import code_level, parent_code

DOC_ID = "qinshui-police-2025"
SOURCE = "qinshui-police-2025.txt"

COLUMN_LABELS = {
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "general_public_budget": "一般公共预算",
    "carryover": "上年结转",
    "income_amount": "收入预算数",
}


def _table(table_id: str, title: str, body: list[tuple], unit: str = "万元", side: str | None = None) -> list[dict]:
    """Tidy rows for one table; ``body`` rows are ``(code or None, item, {column_id: text})``."""
    rows = []
    for number, (code, item, cells) in enumerate(body, start=1):
        kind = "total" if item in {"合计", "部门合计", "本年收入合计", "收入总计"} else ("code" if code else "item")
        for column_id, text in cells.items():
            amount = parse_amount(text)
            rows.append(
                {
                    "doc_id": DOC_ID,
                    "table_id": table_id,
                    "table_title": title,
                    "row_number": number,
                    "side": side,
                    "row_kind": kind,
                    "code": code,
                    "code_level": code_level(code),
                    "parent_code": parent_code(code),
                    "item": item,
                    "detail": None,
                    "column_id": column_id,
                    "column_label": COLUMN_LABELS.get(column_id, column_id),
                    "value_text": text,
                    "amount": amount,
                    "unit": unit,
                    "amount_yuan": to_yuan(amount, unit),
                    "source_file": SOURCE,
                    "page": None,
                    "line": 100 + number,
                }
            )
    return rows


def _seed_tidy() -> pd.DataFrame:
    expenditure_body = [
        (None, "合计", {"total": "12347.07", "basic": "3954.29", "project": "8392.78"}),
        ("204", "公共安全支出", {"total": "11539.98", "basic": "3147.20", "project": "8392.78"}),
        ("20402", "公安", {"total": "11539.98", "basic": "3147.20", "project": "8392.78"}),
        ("208", "社会保障和就业支出", {"total": "521.52", "basic": "521.52", "project": ""}),
        ("20805", "行政事业单位养老支出", {"total": "521.52", "basic": "521.52", "project": ""}),
        ("221", "住房保障支出", {"total": "285.57", "basic": "285.57", "project": ""}),
        ("22102", "住房改革支出", {"total": "285.57", "basic": "285.57", "project": ""}),
    ]
    general_body = [
        (None, "合计", {"total": "12270.45", "basic": "3954.29", "project": "8316.17"}),
        ("204", "公共安全支出", {"total": "11463.36", "basic": "3147.20", "project": "8316.17"}),
        ("20402", "公安", {"total": "11463.36", "basic": "3147.20", "project": "8316.17"}),
        ("2040201", "行政运行", {"total": "3147.20", "basic": "3147.20", "project": ""}),
        ("2040202", "一般行政管理事务", {"total": "1783.94", "basic": "", "project": "1783.94"}),
        ("2040203", "机关服务", {"total": "5032.23", "basic": "", "project": "5032.23"}),
        ("2040219", "信息化建设", {"total": "1100.00", "basic": "", "project": "1100.00"}),
        ("2040299", "其他公安支出", {"total": "400.00", "basic": "", "project": "400.00"}),
        ("208", "社会保障和就业支出", {"total": "521.52", "basic": "521.52", "project": ""}),
        ("20805", "行政事业单位养老支出", {"total": "521.52", "basic": "521.52", "project": ""}),
        ("2080501", "行政单位离退休", {"total": "114.26", "basic": "114.26", "project": ""}),
        ("2080505", "机关事业单位基本养老保险缴费支出", {"total": "271.51", "basic": "271.51", "project": ""}),
        ("2080506", "机关事业单位职业年金缴费支出", {"total": "135.75", "basic": "135.75", "project": ""}),
        ("221", "住房保障支出", {"total": "285.57", "basic": "285.57", "project": ""}),
        ("22102", "住房改革支出", {"total": "285.57", "basic": "285.57", "project": ""}),
        ("2210201", "住房公积金", {"total": "285.57", "basic": "285.57", "project": ""}),
    ]
    economic_body = [
        (None, "合计", {"total": "3954.29", "personnel": "3175.85", "public": "778.44"}),
        (None, "工资福利支出", {"total": "3059.85", "personnel": "3059.85", "public": ""}),
        (None, "商品和服务支出", {"total": "757.44", "personnel": "", "public": "757.44"}),
        (None, "对个人和家庭的补助", {"total": "116.00", "personnel": "116.00", "public": ""}),
        (None, "资本性支出", {"total": "21.00", "personnel": "", "public": "21.00"}),
    ]
    three_public_body = [
        (None, "因公出国（境）费", {"total": "", "general_public_budget": ""}),
        (None, "公务接待费", {"total": "", "general_public_budget": ""}),
        (None, "公务用车购置及运行费", {"total": "108.00", "general_public_budget": "108.00"}),
        (None, "①公务用车购置费", {"total": "80.00", "general_public_budget": "80.00"}),
        (None, "②公务用车运行维护费", {"total": "28.00", "general_public_budget": "28.00"}),
        (None, "合计", {"total": "108.00", "general_public_budget": "108.00"}),
    ]
    admin_body = [
        (None, "部门合计", {"total": "778.44"}),
        (None, "沁水县公安局本级", {"total": "765.49"}),
        (None, "沁水县公安局交通警察大队", {"total": "12.95"}),
    ]
    project_body = [
        (None, name, {"total": amount, "general_public_budget": amount})
        for name, amount in [
            ("沁水县公安局", "8316.17"),
            ("沁水县公安局本级", "6856.23"),
            ("沁水县社会治理智慧化改造工程二期", "400.00"),
            ("执法办案中心建设项目", "500.00"),
            ("沁水县公安局执法办案管理中心附属工程建设项目", "400.00"),
            ("沁水县公安局交警、巡警、土沃派出所融合业务技术用房项目", "400.00"),
            ("沁财行字[2024]19号提前下达2025年中央政法转移支付资金", "702.00"),
            ("辅警专项经费", "448.06"),
            ("提前下达2025年中央和省级政法转移支付资金（省级）", "222.00"),
            ("监管场所保障经费", "95.00"),
            ("扫黑禁毒业务经费", "134.00"),
            ("工程运维服务费", "411.00"),
            ("基层派出所提质改造工程项目", "400.00"),
            ("辅警专项经费", "2739.15"),
            ("遗属生活补助", "5.02"),
            ("沁水县公安局交通警察大队", "1459.94"),
            ("交通安全管理专项经费", "642.62"),
            ("中村交警中队危房改造项目", "300.00"),
            ("交通安全防控体系智慧化升级改造项目二期", "300.00"),
            ("交警队警务辅助人员专用经费", "217.32"),
        ]
    ]
    income_body = [
        (None, "合计", {"total": "12270.45", "general_public_budget": "12270.45", "government_fund": "", "carryover": "76.62"}),
        ("204", "公共安全支出", {"total": "11463.36", "general_public_budget": "11463.36", "carryover": "76.62"}),
        ("208", "社会保障和就业支出", {"total": "521.52", "general_public_budget": "521.52", "carryover": ""}),
        ("221", "住房保障支出", {"total": "285.57", "general_public_budget": "285.57", "carryover": ""}),
    ]
    summary_income_body = [
        (None, "一、一般公共预算", {"income_amount": "12270.45"}),
        (None, "二、政府性基金预算", {"income_amount": ""}),
        (None, "本年收入合计", {"income_amount": "12270.45"}),
        (None, "上年结转", {"income_amount": "76.62"}),
        (None, "收入总计", {"income_amount": "12347.07"}),
    ]
    rows = (
        _table("summary", "2025年预算收支总表", summary_income_body, side="income")
        + _table("income", "2025年预算收入总表", income_body)
        + _table("expenditure", "2025年预算支出总表", expenditure_body)
        + _table("general_expenditure", "2025年一般公共预算支出预算表（不含上年结转）", general_body)
        + _table("general_basic_economic", "2025年一般公共预算安排基本支出分经济科目表（不含上年结转）", economic_body)
        + _table("three_public", "2025年财政拨款安排“三公”经费支出预算表", three_public_body)
        + _table("admin_operation", "2025年财政拨款安排机关运行经费预算表", admin_body)
        + _table("project_current", "2025年项目支出预算表（本年预算）", project_body)
    )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return _seed_tidy()


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def test_appropriation_structure_shares(tidy):
    data = figures.figure_data(tidy, "appropriation_structure_by_class")
    shares = dict(zip(data["label"], data["share_pct"]))
    assert shares == {
        "公共安全支出": Decimal("93.42"),
        "社会保障和就业支出": Decimal("4.25"),
        "住房保障支出": Decimal("2.33"),
    }
    assert list(data["label"]) == ["公共安全支出", "社会保障和就业支出", "住房保障支出"]
    assert data.attrs["total_printed"] == Decimal("12270.45")
    assert data.attrs["total_recomputed"] == Decimal("12270.45")
    assert data.attrs["unit"] == "万元"

    fig = figures.appropriation_structure_by_class(tidy)
    texts = "\n".join(_texts(fig))
    for label in ("公共安全支出 93.42%", "社会保障和就业支出 4.25%", "住房保障支出 2.33%"):
        assert label in texts
    assert "一般公共预算当年拨款结构图" in texts
    assert "单位：万元" in texts and "来源：2025年一般公共预算支出预算表" in texts


def test_three_public_amounts(tidy):
    data = figures.figure_data(tidy, "three_public_distribution")
    amounts = dict(zip(data["label"], data["amount"]))
    assert amounts == {
        "因公出国（境）费": None,
        "公务接待费": None,
        "公务用车购置费": Decimal("80.00"),
        "公务用车运行维护费": Decimal("28.00"),
    }
    assert dict(zip(data["label"], data["amount_text"]))["公务用车购置费"] == "80.00"
    assert data.attrs["total_printed"] == data.attrs["total_recomputed"] == Decimal("108.00")

    fig = figures.three_public_distribution(tidy)
    texts = _texts(fig)
    assert any(t.startswith("80.00") for t in texts)
    assert any(t.startswith("28.00") for t in texts)
    assert "三公经费分布图" in texts
    assert any("单位：万元" in t and "“三公”经费支出预算表" in t for t in texts)


def test_figures_show_the_checks_verdict_and_judge_nothing_themselves(bundled_tidy, bundled_documents):
    """The verdict beside a drawn number is the checks' (one verdict per number), narrative included."""
    from budgetkit.checks import run_checks

    tidy = bundled_tidy["qinshui-police-2025"]
    findings = run_checks(bundled_documents["qinshui-police-2025"], tidy)
    data = figures.figure_data(tidy, "appropriation_structure_by_class", findings=findings).set_index("label")
    security = data.loc["公共安全支出"]
    # 3147.20 + 8316.17 = 11463.37 against 11463.36 printed: the checks call it rounding, so does the figure
    assert security["status"] == "rounding" and security["核对"].startswith("舍入差 · ")
    assert int(security["核对"].split("· ")[1].split(" ")[0]) >= 6  # the table's identities, the fiscal summary, the narrative
    assert "11,463.36万元（说明 第411行）" in security["说明所述"]
    assert data.loc["住房保障支出", "status"] == "ok"
    without = figures.figure_data(tidy, "appropriation_structure_by_class")
    assert "status" not in without.columns and "agrees" not in without.columns


def test_two_part_figures(tidy):
    basic = figures.figure_data(tidy, "basic_vs_project")
    assert list(basic["amount"]) == [Decimal("3954.29"), Decimal("8392.78")]
    assert list(basic["share_text"]) == ["32.03%", "67.97%"]
    personnel = figures.figure_data(tidy, "personnel_vs_public")
    assert list(personnel["amount"]) == [Decimal("3175.85"), Decimal("778.44")]
    income = figures.figure_data(tidy, "income_sources")
    shares = dict(zip(income["label"], income["share_text"]))
    assert shares["一般公共预算"] == "99.38%" and shares["上年结转"] == "0.62%"
    assert income.attrs["total_printed"] == Decimal("12347.07")
    texts = "\n".join(_texts(figures.income_sources(tidy)))
    assert "上年结转 0.62%（76.62）" in texts and "空白或为零（未绘出）：政府性基金预算" in texts


def test_projects_by_unit_and_amount(tidy):
    units = figures.figure_data(tidy, "projects_by_unit")
    assert list(units["label"]) == ["沁水县公安局本级", "沁水县公安局交通警察大队"]
    assert list(units["amount"]) == [Decimal("6856.23"), Decimal("1459.94")]
    assert list(units["recomputed"]) == [Decimal("6856.23"), Decimal("1459.94")]
    assert units.attrs["total_printed"] == Decimal("8316.17")
    assert units.iloc[0]["cells"] == [("project_current", 2, "total")]

    projects = figures.figure_data(tidy, "projects_by_amount")
    assert len(projects) == 17
    assert projects.iloc[0]["label"] == "辅警专项经费" and projects.iloc[0]["amount"] == Decimal("2739.15")
    assert projects.iloc[0]["group"] == "沁水县公安局本级"
    assert dict(zip(projects["label"], projects["group"]))["交通安全管理专项经费"] == "沁水县公安局交通警察大队"
    assert sum(projects["amount"], Decimal(0)) == Decimal("8316.17")


def test_projects_by_unit_without_admin_table(tidy):
    without = tidy[tidy["table_id"] != "admin_operation"]
    units = figures.figure_data(without, "projects_by_unit")
    assert list(units["label"]) == ["沁水县公安局本级", "沁水县公安局交通警察大队"]


def test_bundled_figures_never_count_a_part_with_its_whole(bundled_tidy):
    """三公 is drawn for every document that prints the table; no figure's parts exceed its printed total."""

    for doc_id, tidy in bundled_tidy.items():
        three = figures.figure_data(tidy, "three_public_distribution")
        assert (three is not None) == ("three_public" in set(tidy["table_id"])), doc_id
        if three is not None:
            parts = sum((a for a in three["amount"] if a is not None), Decimal(0))
            assert parts == three.attrs["total_printed"], doc_id
        for figure_id in figures.FIGURES:
            data = figures.figure_data(tidy, figure_id)
            if data is None or data.attrs["total_printed"] is None:
                continue
            # within the rounding of the printed parts (款 printed to 1 元 may add up to 1 元 more)
            n_parts = len(data)
            step = Decimal("0.01") if data.attrs["unit"] == "万元" else Decimal(1)
            slack = step * (n_parts + 1) / 2
            assert data.attrs["total_recomputed"] <= data.attrs["total_printed"] + slack, (doc_id, figure_id)
    jiangsu = figures.figure_data(bundled_tidy["js-npc-office-2019"], "income_sources")
    assert jiangsu.attrs["total_recomputed"] == jiangsu.attrs["total_printed"] == Decimal("18330.37")  # not 36,660.74
    shanghai = figures.figure_data(bundled_tidy["sh-putuo-wanli-street-2025"], "three_public_distribution")
    assert dict(zip(shanghai["label"], shanghai["amount"]))["公务用车购置费"] == Decimal("15")


def test_function_classification(tidy):
    data = figures.figure_data(tidy, "function_classification")
    assert list(data["label"]) == ["20402 公安", "20805 行政事业单位养老支出", "22102 住房改革支出"]
    assert list(data["group"]) == ["204 公共安全支出", "208 社会保障和就业支出", "221 住房保障支出"]


def test_missing_table_gives_none(tidy):
    for figure_id, spec in figures.FIGURES.items():
        rest = tidy[~tidy["table_id"].isin(spec.source_table_ids)]
        assert spec.draw(rest) is None, figure_id
        assert figures.figure_data(rest, figure_id) is None, figure_id
    empty = tidy.copy()
    empty.loc[empty["table_id"] == "three_public", ["amount", "amount_yuan"]] = None
    assert figures.three_public_distribution(empty) is None


def test_parquet_and_text_csv_round_trip(tidy, tmp_path):
    tidy.to_parquet(tmp_path / "tidy.parquet")
    from_parquet = pd.read_parquet(tmp_path / "tidy.parquet")
    tidy.to_csv(tmp_path / "tidy.csv", index=False)
    from_csv = pd.read_csv(tmp_path / "tidy.csv", dtype=str, keep_default_na=False)
    expected = list(figures.figure_data(tidy, "projects_by_amount")["amount"])
    for frame in (from_parquet, from_csv):
        assert list(figures.figure_data(frame, "projects_by_amount")["amount"]) == expected
        data = figures.figure_data(frame, "appropriation_structure_by_class")
        assert list(data["share_text"]) == ["93.42%", "4.25%", "2.33%"]


def test_no_glyph_falls_back(tidy):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for spec in figures.FIGURES.values():
            fig = spec.draw(tidy)
            assert fig is not None, spec.figure_id
            _png(fig)  # drawn outside budgetkit's rc context, as a notebook would
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert findfont(figures.use_cjk_font()) == str(figures.cjk_font_path())


def test_glyph_check_detects_fallback():
    """The check above would notice a Chinese text drawn in a Latin font."""
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "公共安全", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _png(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_rc_params_untouched(tidy):
    import matplotlib

    before = dict(matplotlib.rcParams)
    figures.appropriation_structure_by_class(tidy)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_rendering_is_deterministic(tidy, tmp_path, suffix):
    outputs = []
    for attempt in range(2):
        for figure_id in ("appropriation_structure_by_class", "three_public_distribution"):
            fig = figures.FIGURES[figure_id].draw(tidy)
            path = figures.save_figure(fig, tmp_path / f"{attempt}-{figure_id}.{suffix}")
            outputs.append(path.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    if suffix == "svg":
        assert b"<dc:date>" not in outputs[0]


def test_save_figure_rejects_other_formats(tidy, tmp_path):
    fig = figures.three_public_distribution(tidy)
    with pytest.raises(ValueError):
        figures.save_figure(fig, tmp_path / "x.pdf")
