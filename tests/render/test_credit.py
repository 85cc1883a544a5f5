"""An article's closing credit stays with the last lines of its text, in three news columns too.

The third issue's p.7 printed “（记者 张三 摄影）” and “（图/新华社）” alone at the top of the third
column, their text in the first two (and the first article's photo between its text and its
credit). Two news articles written the same way are composed, laid out by WeasyPrint with its
columns balanced (column_balance.py), drawn to a PDF, and their lines read from its bytes.
"""
import pytest

from periodical import build, fonts
from periodical.check import pdfchars
from periodical.compose import compose, fit
from periodical.render import render

from ..conftest import MINIMAL_YAML, write_issue
from .photo_issue import article, photo

NEWS_YAML = MINIMAL_YAML.replace("{id: news, title: 要闻, en: News}", "{id: news, title: 动态, en: Events, layout: news}")
MEETING = ("2月20日，市政协召开2023年第一次主席会议，传达学习全国政协、省政协有关会议精神，研究部署今年重点工作。"
           "会议审议通过了《市政协2023年工作要点》《市政协2023年协商计划》等文件。")
VISITS = ("2月22日，市政协经济委员会组织委员走进哈尔滨新区，先后调研了3家高新技术企业。委员们详细了解企业在研发投入、"
          "人才引进、融资等方面遇到的困难，现场解答政策问题15个，收集意见建议23条。")
CREDITS = {"01-meeting": "记者 张三 摄影", "02-visits": "图/新华社"}


def news(title, text, credit, images=()):
    return article(title, images, [text]).replace("section: news\n", f"section: news\ncredit: {credit}\n")


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    """The run's lines as the drawn PDF holds them."""
    folder = write_issue(tmp_path_factory.mktemp("credit") / "2024-03", NEWS_YAML, {
        "01-meeting.md": news("市政协召开2023年第一次主席会议", MEETING, CREDITS["01-meeting"],
                              [{"src": "images/hall.jpg", "caption": "会议现场"}]),
        "02-visits.md": news("委员走进企业开展活动", VISITS, CREDITS["02-visits"])})
    (folder / "images").mkdir()
    photo(folder / "images" / "hall.jpg", (1600, 1000), (70, 110, 160))
    issue, used = build.prepare(folder)
    layouts = "".join(p.read_text(encoding="utf-8") for p in compose.LAYOUTS.iterdir() if p.is_file())
    font_dir = fonts.subset("".join(used) + layouts, build.CACHE / "fonts")
    part = compose.run_part(next(iter(fit.runs(issue.articles))))
    html = compose.compose(issue, part, 1, fonts_dir=font_dir)
    pdf = folder / "run.pdf"
    render.write_pdf(render.layout(html, issue.root, font_dir, build._resources(issue)).document, pdf)
    return pdfchars.lines(pdfchars.read_pages(pdf))


@pytest.mark.parametrize("slug, text", [("01-meeting", MEETING), ("02-visits", VISITS)])
def test_the_credit_stands_under_the_last_line_of_its_text_in_the_same_column(lines, slug, text):
    credit = next(line for line in lines if CREDITS[slug] in line.text)
    last = next(line for line in lines if line.text and text.endswith(line.text))     # the text's last line
    assert credit.page == last.page
    # Right-aligned in the column of the text's last line: within its measure, not a column further on.
    measure = 17 * last.em
    assert last.x0 - last.em <= credit.x0 and credit.right <= last.x0 + measure + last.em, (credit.text, last.text)
    # Just below it: the credit's margin and one line, not the top of a column.
    assert 0 < last.y - credit.y < 3 * last.em, (credit.y, last.y)     # PDF y grows upwards


def test_the_photo_at_an_articles_end_follows_its_credit(lines):
    # In reading order (the PDF draws boxes in document order): text, credit, then the caption.
    order = [line.text for line in lines]
    credit = next(n for n, t in enumerate(order) if CREDITS["01-meeting"] in t)
    caption = next(n for n, t in enumerate(order) if "会议现场" in t)
    assert credit < caption
