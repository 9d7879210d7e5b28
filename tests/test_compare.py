"""Comparisons: implied prior years, units inside a disclosure, year over year, indicators, charts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from budgetkit.compare import (
    caveats,
    dept_vs_unit,
    indicators,
    load_doc,
    load_docs,
    pct,
    plot_small_multiples,
    plot_waterfall,
    plot_year_over_year,
    same_department,
    stated_changes,
    to_wan,
    unit_split,
    year_over_year,
)

from conftest import RAW, ROOT, SEED_ID
PDF_IDS = ["js-npc-office-2017", "js-npc-office-2018", "sh-putuo-wanli-street-2024", "sh-putuo-wanli-street-2025",
           "sh-putuo-gov-office-2025-dept", "sh-putuo-gov-office-2025-unit"]


def _process(ids: list[str], out: Path) -> Path:
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import process_document

    for spec in read_manifest(RAW / "manifest.csv"):
        if spec.doc_id in ids:
            result = process_document(spec, out, with_checks=False)
            assert result.ok, result.error
    return out


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return _process([SEED_ID], tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="module")
def processed_pdf(tmp_path_factory) -> Path:
    return _process(PDF_IDS, tmp_path_factory.mktemp("processed_pdf"))


def test_exact_helpers():
    assert to_wan(Decimal("123470700")) == Decimal("12347.07")
    assert pct(Decimal("3954.29"), Decimal("12347.07")) == Decimal("32.03")
    assert pct(Decimal(1), Decimal(0)) is None


def test_seed_implied_prior_years(processed: Path):
    seed = load_doc(processed, SEED_ID)
    changes = stated_changes(seed)
    implied = {r.subject: r.implied_prior for r in changes.itertuples()}
    assert implied["预算收入总计"] == Decimal("13044.34")
    assert implied["“三公”经费"] == Decimal("172.00")
    assert implied["机关运行经费"] == Decimal("747.42")
    assert set(changes["status"]) == {"unchecked"}  # no prior disclosure: implied, not checked
    assert changes.set_index("subject").loc["机关运行经费", "rate_status"] is None  # extracted without checks
    three = changes[changes["subject"] == "“三公”经费"].iloc[0]
    assert three["direction"] == "减少" and three["change"] == Decimal("64.00")


def test_seed_unit_split(processed: Path):
    split = unit_split(load_doc(processed, SEED_ID)).set_index(["table_id", "unit_name"])
    assert split.loc[("project_current", "沁水县公安局本级"), "amount_wan"] == Decimal("6856.23")
    assert split.loc[("project_current", "沁水县公安局交通警察大队"), "amount_wan"] == Decimal("1459.94")
    assert split.loc[("admin_operation", "沁水县公安局本级"), "amount_wan"] == Decimal("765.49")
    assert split.loc[("admin_operation", "沁水县公安局交通警察大队"), "amount_wan"] == Decimal("12.95")
    # the units add up to the department's row
    assert split.loc[("project_current", "沁水县公安局本级"), "department_total_wan"] == Decimal("8316.17")
    assert split.loc[("admin_operation", "沁水县公安局本级"), "units_sum_wan"] == Decimal("778.44")
    assert split.loc[("admin_operation", "沁水县公安局交通警察大队"), "share_pct"] == Decimal("1.66")


def test_seed_indicators(processed: Path):
    frame = indicators([load_doc(processed, SEED_ID)]).iloc[0]
    assert frame["total_wan"] == Decimal("12347.07")
    assert frame["basic_share_pct"] == Decimal("32.03")
    assert frame["personnel_wan"] == Decimal("3175.85") and frame["public_wan"] == Decimal("778.44")
    assert frame["three_public_wan"] == Decimal("108.00")
    assert frame["admin_operation_wan"] == Decimal("778.44")
    assert frame["staff"] is None or pd.isna(frame["staff"])
    assert frame["function_mix"]["204 公共安全支出"] == Decimal("93.42")


def test_jiangsu_year_over_year(processed_pdf: Path):
    reference = pd.read_csv(ROOT / "data" / "reference" / "js-npc-office-summary-totals.csv", dtype=str).set_index("Unnamed: 0")
    docs = load_docs(processed_pdf, same_department(processed_pdf, "js-npc-office-2017"))
    assert [d.year for d in docs] == [2017, 2018]
    frame = indicators(docs).set_index("fiscal_year")
    assert frame.loc[2017, "total_wan"] == Decimal(reference.loc["2017-01-01", "支出合计"]) == Decimal("13649.07")
    assert frame.loc[2018, "total_wan"] == Decimal(reference.loc["2018-01-01", "支出合计"]) == Decimal("15897.44")
    yoy = year_over_year(docs, levels=("类",)).set_index("code")
    assert yoy.loc["201", "2017_wan"] == Decimal(reference.loc["2017-01-01", "一般公共服务支出"])
    assert yoy.loc["201", "2018_wan"] == Decimal(reference.loc["2018-01-01", "一般公共服务支出"])
    assert yoy.loc["221", "change_2017_2018_wan"] == Decimal("2122.38") - Decimal("1512.23")
    # the 2018 narrative's total change (增加2248.37万元) implies the 2017 total printed in the 2017 tables
    changes = stated_changes(docs[1], docs[0])
    total = changes[changes["implied_prior"] == Decimal("13649.07")]
    assert not total.empty and total.iloc[0]["status"] in ("ok", "info")
    assert total.iloc[0]["prior_table_value"] == Decimal("13649.07")


def test_wanli_stated_changes_checked_and_can_fail(processed_pdf: Path):
    docs = load_docs(processed_pdf, ["sh-putuo-wanli-street-2024", "sh-putuo-wanli-street-2025"])
    changes = stated_changes(docs[1], docs[0]).set_index("subject")
    assert changes.loc["“三公”经费", "implied_prior"] == Decimal("47.91")
    assert changes.loc["“三公”经费", "status"] == "ok"
    # a prior year whose 三公 total differs is reported as such
    prior = docs[0]
    tampered = prior.tidy.copy()
    mask = (tampered["table_id"] == "three_public") & (tampered["column_id"] == "three_public_total")
    tampered.loc[mask, "amount_yuan"] = Decimal("480000")
    prior.tidy = tampered
    again = stated_changes(docs[1], prior).set_index("subject")
    assert again.loc["“三公”经费", "status"] == "warning"
    assert again.loc["“三公”经费", "prior_table_value"] == Decimal("48")


def test_wanli_by_economic_class(processed_pdf: Path):
    docs = load_docs(processed_pdf, ["sh-putuo-wanli-street-2024", "sh-putuo-wanli-street-2025"])
    yoy = year_over_year(docs, by="economic", levels=("类",)).set_index("code")
    assert {"301", "302", "303"} <= set(yoy.index)
    for code in yoy.index:
        a, b = yoy.loc[code, "2024_wan"], yoy.loc[code, "2025_wan"]
        assert yoy.loc[code, "change_2024_2025_wan"] == b - a
    function = year_over_year(docs, levels=("类",))
    total_2025 = sum(v for v in function["2025_wan"] if v is not None)
    assert indicators(docs[1:]).iloc[0]["total_wan"] == total_2025  # classes add up to the total


def test_shanghai_dept_vs_unit(processed_pdf: Path):
    dept = load_doc(processed_pdf, "sh-putuo-gov-office-2025-dept")
    unit = load_doc(processed_pdf, "sh-putuo-gov-office-2025-unit")
    frame = dept_vs_unit(dept, unit).set_index("indicator")
    for row in frame.itertuples():
        if row.department_wan is not None and row.unit_wan is not None:
            assert row.other_units_wan == row.department_wan - row.unit_wan
    assert frame.loc["机关运行经费", "department_wan"] == Decimal("213.28")


def test_caveats_across_departments(processed_pdf: Path, processed: Path):
    docs = [load_doc(processed, SEED_ID)] + load_docs(processed_pdf, ["js-npc-office-2018", "sh-putuo-wanli-street-2025"])
    frame = indicators(docs)
    notes = "\n".join(caveats(frame))
    assert "different fiscal years" in notes and "different government levels" in notes
    assert "printed units differ" in notes and "different templates" in notes
    js = frame.set_index("doc_id").loc["js-npc-office-2018"]
    assert js["staff"] == 338
    assert js["three_public_per_staff_wan"] == (js["three_public_wan"] / 338).quantize(Decimal("0.0001"))


def test_charts_render_with_cjk_font(processed: Path, tmp_path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seed = load_doc(processed, SEED_ID)
    fake_prior = load_doc(processed, SEED_ID)
    fake_prior.metadata = {**fake_prior.metadata, "fiscal_year": 2024}
    yoy = year_over_year([fake_prior, seed])
    assert set(yoy[yoy["level"] == "类"]["change_2024_2025_wan"]) == {Decimal(0)}
    for name, fig in {
        "yoy": plot_year_over_year(yoy, title="按功能分类"),
        "waterfall": plot_waterfall(yoy, 2024, 2025),
        "multiples": plot_small_multiples(indicators([seed])),
    }.items():
        labels = [t for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels() if t.get_text()]
        assert any("CJK" in t.get_fontname() for t in labels), name
        fig.savefig(tmp_path / f"{name}.png", dpi=60)
        plt.close(fig)
        assert (tmp_path / f"{name}.png").stat().st_size > 5000


def test_wanli_stated_changes_have_no_false_differs(processed_pdf: Path):
    docs = load_docs(processed_pdf, ["sh-putuo-wanli-street-2024", "sh-putuo-wanli-street-2025"])
    changes = stated_changes(docs[1], docs[0])
    assert not changes["status"].eq("warning").any(), changes[["subject", "status", "prior_cell"]]
    # 政府性基金拨款支出预算0.00万元，比2024年预算持平 is not about 支出总计
    assert "预算支出总计" not in set(changes.loc[changes["current"] == Decimal("0.00"), "subject"])
    by_subject = changes.set_index("subject")
    # “（三）公务接待费1.35万元。比2024年预算持平”: the subjectless sentence is about 公务接待费,
    # checked on the 三公 table's column (not the basic-expenditure line of the same name)
    assert by_subject.loc["公务接待费", "status"] == "ok"
    assert "three_public" in by_subject.loc["公务接待费", "prior_cell"]
    assert "three_public" in by_subject.loc["公务用车运行维护费", "prior_cell"]


def test_a_document_from_no_manifest_is_its_own_series(tmp_path: Path):
    """In a folder mixing manifest documents and a loose file, the loose one has no publisher (NaN)."""
    import shutil

    from budgetkit.manifest import spec_for_paths
    from budgetkit.pipeline import process_document

    out = _process([SEED_ID, "js-npc-office-2017"], tmp_path / "processed")
    shutil.copy(RAW / "qinshui-police-2025.txt", tmp_path / "loose.txt")
    assert process_document(spec_for_paths([tmp_path / "loose.txt"]), out, with_checks=False).ok
    assert same_department(out, "loose") == ["loose"]
    assert same_department(out, SEED_ID) == [SEED_ID]
