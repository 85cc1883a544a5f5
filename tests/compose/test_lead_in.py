"""A lead-in sentence stays with its list: no photo or pull quote between them, placed or deferred.

The third issue printed “委员们提出了以下几点建议：”, then a photo, then the list (and “建议：”, a PNG,
the bullets). Here an article written so that spreading its inserts evenly, or deferring one a
block on, lands in that gap; the run is composed, laid out by WeasyPrint, drawn to a PDF, and the
PDF's text read from its bytes.
"""
import pytest

from periodical import build, fonts
from periodical.compose import compose, floats
from periodical.render import render

from ..conftest import MINIMAL_YAML, write_issue
from ..pdftext import pages_text
from ..render.photo_issue import article, paragraph, photo

LEAD_IN = "委员们提出了以下几点建议："
ITEMS = ("推动冰雪旅游与文化深度融合，打造精品线路；", "加快冰雪装备产业园区建设；", "完善冬季公共交通和应急保障体系。")
QUOTE = "冰雪也是金山银山"
CAPTION = "冰雪大世界夜景"
# The second article: five blocks and a photo, spread evenly after block 2, the lead-in's gap.
LEAD_IN_2 = "委员们认为，当前各部门数据标准不一。建议："
ITEMS_2 = ("建立全市统一的城市大脑平台；", "推广无感支付方式；", "试点出行即服务模式。")
CAPTION_2 = "信号灯配时优化系统界面"


def lead_in_article(lead_in=LEAD_IN, listing="\n".join(f"{n}. {t}" for n, t in enumerate(ITEMS, 1))):
    # Seven blocks, a quote and a photo: spread evenly they stand after block 2 (the quote, before
    # the lead-in) and block 5; deferring the quote one block on reaches the lead-in's gap.
    text = article("委员建言冰雪经济", [{"src": "images/night.jpg", "caption": CAPTION}],
                   [paragraph(0), paragraph(1), lead_in, listing, paragraph(2), paragraph(3), paragraph(4)])
    return text.replace("section: news\n", f"section: news\npullquote: [{QUOTE}]\n")


def bullets_article():
    return article("智慧交通让城市聪明起来", [{"src": "images/screen.jpg", "caption": CAPTION_2}],
                   [paragraph(1), LEAD_IN_2, "\n".join(f"- {t}" for t in ITEMS_2), paragraph(2), paragraph(3)])


@pytest.fixture(scope="module")
def issue(tmp_path_factory):
    folder = write_issue(tmp_path_factory.mktemp("lead-in") / "2024-03", MINIMAL_YAML,
                         {"01-lead-in.md": lead_in_article(), "02-bullets.md": bullets_article()})
    (folder / "images").mkdir()
    photo(folder / "images" / "night.jpg", (1500, 1000), (40, 60, 120))
    photo(folder / "images" / "screen.jpg", (1500, 1000), (120, 60, 40))
    issue, used = build.prepare(folder)
    layouts = "".join(p.read_text(encoding="utf-8") for p in compose.LAYOUTS.iterdir() if p.is_file())
    return issue, fonts.subset("".join(used) + layouts, build.CACHE / "fonts")


def printed(issue, tmp_path, deferrals):
    """The run's text as the drawn PDF holds it, pages run together."""
    issue, font_dir = issue
    part = compose.run_part(next(iter(compose.fit.runs(issue.articles))))
    html = compose.compose(issue, part, 1, fonts_dir=font_dir, deferrals=deferrals)
    pdf = tmp_path / "run.pdf"
    render.write_pdf(render.layout(html, issue.root, font_dir, build._resources(issue)).document, pdf)
    return "".join(pages_text(pdf))


def assert_lead_in_with_its_list(text, lead_in=LEAD_IN, items=ITEMS, inserts=(CAPTION, QUOTE)):
    between = text[text.index(lead_in):text.index(items[-1])]
    assert not [i for i in inserts if i in between], between
    for item in items:                                          # the list itself printed whole
        assert item in text


@pytest.mark.parametrize("shift", [0, 1, 2])
def test_no_insert_stands_between_a_lead_in_and_its_list_as_placed_or_deferred(issue, tmp_path, shift):
    text = printed(issue, tmp_path, {"01-lead-in": (shift,)} if shift else {})
    assert_lead_in_with_its_list(text)
    assert_lead_in_with_its_list(text, LEAD_IN_2, ITEMS_2, (CAPTION_2,))
    assert text.index(QUOTE) < text.index(CAPTION)             # inserts keep their order
    if shift:                                                    # deferred: past the list, not dropped
        assert text.index(QUOTE) > text.index(ITEMS[-1])


def test_the_gaps_an_insert_may_take():
    blocks = ["<p>一</p>\n", "<p>建议如下：</p>\n", "<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>\n",
              "<p>as follows:</p>\n", "<pre><code>x = 1\n</code></pre>\n", "<p>结语：</p>\n",
              "<blockquote>\n<p>引文</p>\n</blockquote>\n", "<p>末段：</p>\n", "<p>冒号后是段落</p>\n",
              "<h2>小标题</h2>\n", "<p>正文</p>\n"]
    allowed = [g for g in range(len(blocks) + 1) if floats.may_stand(blocks, g)]
    # Not after 建议如下： (a list follows), as follows: (code), 结语： (a quote), nor after the heading.
    assert allowed == [0, 1, 3, 5, 7, 8, 9, 11]
    # A paragraph ending in a colon before another paragraph may be parted; the end always takes inserts.
    assert floats.may_stand(blocks, len(blocks))


def test_a_list_stays_one_block_so_nothing_goes_inside_it():
    body = ('<p>建议：</p>\n<ol>\n<li>\n<p>甲</p>\n</li>\n<li>\n<p>乙</p>\n<ul>\n<li>丙</li>\n</ul>\n</li>\n</ol>\n'
            '<figure class="photo size-column">\n</figure>\n<p>尾</p>\n')
    assert len(floats.top_level(body)) == 4
    for shifts in ((1,), (2,), (0,)):
        moved = floats.top_level(floats.defer(body, shifts))
        assert moved[0].startswith("<p>建议") and moved[1].startswith("<ol>"), shifts
