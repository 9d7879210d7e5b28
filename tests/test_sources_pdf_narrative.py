"""Narrative paragraphs of a PDF: visual lines joined again, on real line geometry.

The boxes are those pypdfium2 gives for real pages (left, right, median glyph height, in points):
西安市卫生健康委员会 2022 决算 p.9 (a prose page in a file whose other pages are small-print tables)
and 苏州市水务局 2026 p.28–29 (a running header in small print above each page's text).
"""

from __future__ import annotations

from budgetkit.sources.pdf.narrative import narrative_paragraphs
from budgetkit.sources.pdf.page import LineBox, PageContent


def page(number, lines):
    return PageContent(number, 595.0, 842.0, [t for t, _ in lines], line_boxes=[LineBox(*box) for _, box in lines])


XIAN_P9 = page(9, [
    ("第二部分 2022年度部门决算情况说明", (120.0, 480.1, 20.4)),
    ("一、收入支出决算总体情况说明", (119.9, 341.6, 14.4)),
    ("2022年度收入总计、支出总计均为2,480,372.7万元，与上年", (117.7, 513.5, 11.8)),
    ("相比收入总计、支出总计均增加789,183.4万元，增长46.66%，增", (88.1, 513.0, 11.8)),
    ("长的主要原因是：西安市儿童医院、西安市红会医院等新院区建", (88.0, 513.5, 13.6)),
    ("设、扩建基建项目投入增加，疫情常态化后医院诊疗秩序恢复正", (87.9, 513.3, 13.9)),
    ("常，医疗收入较上年增长。", (88.8, 257.5, 13.9)),
])
#: A page of a table read as text: many short lines in small print (p.30 of the same file: 5.1 pt glyphs).
SMALL_PRINT = page(30, [(f"{2010000 + i} 某项支出 {i}.00 {i}.00", (60.0, 540.0, 5.1)) for i in range(60)])

SUZHOU_P28 = page(28, [
    ("苏州市水务局 2026 年度单位预算公开", (42.0, 189.0, 8.3)),
    ("- 27 -", (284.0, 311.0, 6.1)),
    ("第三部分 2026 年度单位预算情况说明", (115.0, 480.0, 20.4)),
    ("一、收支预算总体情况说明", (97.0, 287.0, 14.9)),
    ("苏州市水务局 2026 年度收入、支出预算总计 92,596.24 万", (98.0, 532.0, 13.7)),
    ("元，与上年相比收、支预算总计各增加 28,997.47 万元，增长", (64.0, 528.0, 13.7)),
    ("45.59%。其中：", (64.0, 164.0, 10.8)),
    ("（1）一般公共预算拨款收入 48,592.98 万元，与上年相比增", (105.0, 532.0, 13.6)),
    ("加 15,573.36 万元，增长 47.16%。主要原因是胥江引水工程、北福", (64.0, 532.0, 11.1)),
])
SUZHOU_P29 = page(29, [
    ("苏州市水务局 2026 年度单位预算公开", (42.0, 189.0, 8.3)),
    ("- 28 -", (284.0, 311.0, 6.1)),
    ("山塘江边泵站工程等工程 2025 年在政府性基金预算拨款收入中列", (66.0, 531.0, 14.8)),
    ("支。", (64.0, 90.0, 14.6)),
    ("（2）政府性基金预算拨款收入 44,003.26 万元，与上年相比", (105.0, 532.0, 14.2)),
    ("增加 13,424.11 万元，增长 43.9%。", (64.0, 300.0, 13.9)),
])


def texts(pages):
    return [line.text for line in narrative_paragraphs("t.pdf", pages)]


def test_prose_page_keeps_its_own_body_size_beside_small_print_pages():
    joined = texts([XIAN_P9, SMALL_PRINT])
    assert ("2022年度收入总计、支出总计均为2,480,372.7万元，与上年相比收入总计、支出总计均增加789,183.4万元，增长46.66%，"
            "增长的主要原因是：西安市儿童医院、西安市红会医院等新院区建设、扩建基建项目投入增加，疫情常态化后医院诊疗秩序恢复正常，"
            "医疗收入较上年增长。") in joined


def test_running_header_sets_no_edge_and_breaks_no_paragraph():
    joined = texts([SUZHOU_P28, SUZHOU_P29])
    assert "苏州市水务局 2026 年度收入、支出预算总计 92,596.24 万元，与上年相比收、支预算总计各增加 28,997.47 万元，增长45.59%。其中：" in joined
    # the sentence runs on over the page break, past the next page's header and number
    assert ("（1）一般公共预算拨款收入 48,592.98 万元，与上年相比增加 15,573.36 万元，增长 47.16%。主要原因是胥江引水工程、"
            "北福山塘江边泵站工程等工程 2025 年在政府性基金预算拨款收入中列支。") in joined
    assert "苏州市水务局 2026 年度单位预算公开" in joined  # the header stays a line of its own
    assert "（2）政府性基金预算拨款收入 44,003.26 万元，与上年相比增加 13,424.11 万元，增长 43.9%。" in joined
