"""A Markdown pipe table prints as a table: cells in rows and columns, nothing of its pipes and
dashes, counted by the inventory and left alone by the typesetting check."""
import json
import re

from periodical.check import pdfchars
from periodical.text import text

from ..conftest import PARAGRAPH, run_cli, write_issue

TABLE = """\
| 指标 | 2021年 | 2022年 | 增长 |
|---|--:|--:|--:|
| 游客(万人次) | 894.2 | 1,234.5 | 38.1% |
| 收入(亿元) | 119.1 | 168.3 | 41.3% |
"""

ARTICLE = f"""\
---
title: 冰雪经济
section: news
---

{PARAGRAPH}

全市冰雪旅游主要指标如下:

{TABLE}
{PARAGRAPH}
"""


def test_a_pipe_table_is_a_table_with_its_cells_cleaned_and_aligned():
    html, problems = text.render_markdown(TABLE)
    assert problems == []
    cells = re.findall(r"<(t[hd])( style=\"text-align:right\")?>(.*?)</t[hd]>", html)
    assert [(tag, bool(right), text.printed_text(inner)) for tag, right, inner in cells] == [
        ("th", False, "指标"), ("th", True, "2021年"), ("th", True, "2022年"), ("th", True, "增长"),
        # the text stage cleans a cell as it cleans a paragraph: （） full-width next to Han
        ("td", False, "游客（万人次）"), ("td", True, "894.2"), ("td", True, "1,234.5"), ("td", True, "38.1%"),
        ("td", False, "收入（亿元）"), ("td", True, "119.1"), ("td", True, "168.3"), ("td", True, "41.3%")]
    assert html.count("<tr>") == 3 and "|" not in text.printed_text(html)


def test_a_table_prints_in_rows_and_columns_and_is_counted(tmp_path):
    issue = write_issue(tmp_path / "2024-03", articles={"01-ice.md": ARTICLE})
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    lines = [line for line in pdfchars.lines(pdfchars.read_pages(tmp_path / "out" / "archive.pdf"))]
    printed = "".join(line.text for line in lines)
    assert "|" not in printed and "---" not in printed
    # Each row's cells on one baseline, the head above the rows, in the table's column order.
    rows = [("指标", "2021", "2022", "增长"), ("游客（万人次）", "894.2", "1,234.5", "38.1%"),
            ("收入（亿元）", "119.1", "168.3", "41.3%")]
    found = []
    for row in rows:
        cells = [next(line for line in lines if line.text.replace(" ", "").startswith(cell)) for cell in row]
        assert len({round(c.y) for c in cells}) == 1, row
        assert [c.x0 for c in cells] == sorted(c.x0 for c in cells), row
        found.append(cells[0].y)
    assert found == sorted(found, reverse=True)          # PDF y grows upwards: the head is highest
    # The right-aligned columns end on one edge.
    assert len({round(next(line for line in lines if line.text == v).right) for v in ("2022年", "1,234.5", "168.3")}) == 1
    # The inventory knows the table as a block of the body, and found it on its page.
    assert report["inventory"]["lost"] == [] and report["inventory"]["out_of_order"] == []
    assert report["typography"]["violations"] == 0, report["typography"]["list"]
