"""Every key of the data contract does what the README says: one entry per key of schema.py.

The keys are read from schema.py's field lists (issue.yaml and the article front matter), so a
key added there without an entry in EFFECTS fails here. Two issues are built through the command
line: KEYED sets every optional key to a value of its own, at 185 × 260 mm; BARE leaves them out
(it only names a cover lead). Each entry shows its key's effect on the written PDFs, read from
their bytes — mostly by comparing the two.
"""
import json
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from PIL import Image

from periodical import icc
from periodical.check import pdfchars
from periodical.compose import geometry
from periodical.model import schema, trim
from periodical.output import marks

from .. import bodycolumns
from ..conftest import PARAGRAPH, run_cli, write_issue

MM = 72 / 25.4
PROFILE = "/usr/share/color/icc/ghostscript/ps_cmyk.icc"     # a CMYK printer profile that is not the default

KEYED_YAML = f"""\
publication: 键值月刊
year: 2031
number: 7
total: 97
date: 2031-07-15
permit: 黑新出印字 8642
print_run: 3579
sections:
  - {{id: beta, title: 乙栏, en: Beta Desk, layout: news}}
  - {{id: alpha, title: 甲栏, en: Alpha Column}}
colophon:
  - [主编, 赵六一]
  - [地址, [道里区一号, 邮编一五零]]
publication_en: KEYS MONTHLY
frequency: 每季一期
notice: 内部交流 请勿外传
sponsor: 键值委员会主办
slogan: 一键一测
award: 年度优秀刊物
pages: 12
trim: 185×260 mm
color_profile: {PROFILE}
photo_ppi: 200
photo_colour: rgb
cover:
  headline: 封面主标题文字
  subhead: 封面副题文字
  image: {{src: images/cover.png, caption: 封面图注文字, credit: 封面摄影甲}}
  lead: 03-alpha
back_cover:
  title: 封底标题文字
  subtitle: 封底副题文字
  image: {{src: images/back.png, caption: 封底图注文字, credit: 封底摄影乙}}
"""

KEYED_ARTICLES = {
    "03-alpha.md": f"""\
---
title: 甲文标题
section: alpha
subtitle: 甲文副题
kicker: 甲文眉题
byline: 甲文作者
dateline: 2031年6月1日
credit: 甲文来源工作室
page: 3
toc_title: 目录中的甲文
toc_subtitle: 目录中的甲文副题
pullquote: 甲文引语放大
images:
  - {{src: images/column.png, caption: 栏图图注, credit: 栏图摄影, size: column, after: "丙段 标记"}}
  - {{src: images/wide.png, caption: 宽图图注, size: wide}}
---

{PARAGRAPH * 4}

{PARAGRAPH * 4}

丙段标记：{PARAGRAPH * 4}
""",
    "05-beta.md": f"""\
---
title: 乙文标题
section: beta
page: 5
---

{PARAGRAPH * 3}

{PARAGRAPH * 3}
""",
    "05-gamma.md": f"""\
---
title: 丙文标题
section: beta
layout: report
page: 5
toc: false
images:
  - {{src: images/page.png, caption: 整版图注, size: page, focus: [0.5, 0]}}
---

{PARAGRAPH * 3}

{PARAGRAPH * 3}
""",
}

BARE_YAML = """\
publication: 测试月刊
year: 2024
number: 3
total: 12
date: 2024-03-20
permit: 黑新出印字 0000001
print_run: 500
sections:
  - {id: news, title: 要闻, en: News}
colophon:
  - [主编, 张三]
cover:
  lead: 02-lead
"""

BARE_ARTICLES = {
    "01-first.md": f"---\ntitle: 第一篇文章\nsection: news\n---\n\n{PARAGRAPH}\n",
    "02-lead.md": f"---\ntitle: 封面引题文章\nsubtitle: 引题的副标题\nsection: news\ntoc: false\n---\n\n{PARAGRAPH}\n",
}

# Landscape photos a little taller than their frames: object-fit: cover scales them to the frame's width,
# so the drawn image is as wide as the frame (a portrait photo would stand at its own proportions).
# The cover's is wide and fine (about 400 ppi as placed), so photo_ppi resamples it: it is found by its proportions.
PHOTOS = {"cover.png": (3000, 2500), "back.png": (600, 560), "column.png": (400, 301),
          "wide.png": (1010, 601), "page.png": (102, 900)}


class Built:
    """One issue built through the command line, read back from its bytes."""

    def __init__(self, folder, out):
        proc = run_cli("build", folder, "--out", out)
        assert proc.returncode == 0, proc.stderr + proc.stdout
        self.out = Path(out)
        self.pages = pdfchars.read_pages(self.out / "print.pdf")
        self.report = json.loads((self.out / "report.json").read_text(encoding="utf-8"))

    def text(self, page=None):
        """The text of one page (1-based) or of all, without spaces (they vary with the extractor)."""
        pages = self.pages if page is None else [self.pages[page - 1]]
        return re.sub(r"\s+", "", "".join(c.ch for chars in pages for c in chars))

    def start(self, slug):
        return next(a["start"] for a in self.report["articles"] if a["slug"] == slug)

    def contents_page(self):
        return next(n for n in range(1, len(self.pages) + 1) if "CONTENTS" in self.text(n))

    def contents(self):
        return self.text(self.contents_page())

    def reading_place(self, page, text):
        """Where `text` starts on the page, as a reader of its two columns reaches it: (column, from the top)."""
        chars = [c for c in self.pages[page - 1] if not c.ch.isspace()]
        at = "".join(c.ch for c in chars).index(text)
        with pikepdf.open(self.out / "print.pdf") as pdf:
            middle = sum(float(v) for v in pdf.pages[page - 1].obj.TrimBox[::2]) / 2
        return chars[at].x > middle, -chars[at].y

    def images(self, page):
        """(pixel size, (width, height) drawn in pt) of each image drawn on the page."""
        pdf = pdfium.PdfDocument(str(self.out / "print.pdf"))
        try:
            out = []
            for obj in pdf[page - 1].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
                left, bottom, right, top = obj.get_bounds()
                out.append((tuple(obj.get_px_size()), (right - left, top - bottom)))
            return out
        finally:
            pdf.close()

    def placed(self, page):
        """(pixel size, (left, right) in pt) of each image drawn on the page, before any clip."""
        pdf = pdfium.PdfDocument(str(self.out / "print.pdf"))
        try:
            return [(tuple(obj.get_px_size()), obj.get_bounds()[::2])
                    for obj in pdf[page - 1].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8)]
        finally:
            pdf.close()

    def type_area(self, page):
        """(left, right) of the type area in pt, from the page's TrimBox and the trim's margins."""
        top, outer, bottom, inner = geometry.of(trim.parse("185×260")).margins["page"]
        with pikepdf.open(self.out / "print.pdf") as pdf:
            x0, _, x1, _ = map(float, pdf.pages[page - 1].obj.TrimBox)
        left, right = (inner, outer) if page % 2 else (outer, inner)        # right-hand pages: inner margin on the left
        return x0 + left * MM, x1 - right * MM

    def columns(self, slug, title, until=None):
        """How many columns the body text under the article's title stands in on its first page
        (down to the title `until` of the next article sharing the page)."""
        page = self.start(slug)
        top, bottom = (-self.reading_place(page, t)[1] if t else 0 for t in (title, until))
        return bodycolumns.count(bodycolumns.body_lines(self.pages, page, bottom, top))

    def output_intent(self, name):
        with pikepdf.open(self.out / name) as pdf:
            return icc.read(pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()).description


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("keys")
    keyed = write_issue(root / "keyed" / "2031-07", KEYED_YAML, KEYED_ARTICLES)
    (keyed / "images").mkdir()
    for name, size in PHOTOS.items():
        Image.new("RGB", size, (40 + len(name) * 9, 90, 150)).save(keyed / "images" / name)
    bare = write_issue(root / "bare" / "2024-03", BARE_YAML, BARE_ARTICLES)
    return Built(keyed, root / "keyed-out"), Built(bare, root / "bare-out")


def mm(value):
    return round(value / MM, 1)


# ---------- the effects, one function per key: (keyed, bare) → assertions ----------

def on_cover(*texts):
    def check(keyed, bare):
        for text in texts:
            assert text in keyed.text(1) and text not in bare.text(1), text
    return check


def on_contents(*texts):
    def check(keyed, bare):
        for text in texts:
            assert text in keyed.contents() and text not in bare.contents(), text
    return check


def on_back(*texts):
    def check(keyed, bare):
        for text in texts:
            assert text in keyed.text(len(keyed.pages)) and text not in bare.text(len(bare.pages)), text
    return check


def in_article(slug, *texts):
    def check(keyed, bare):
        start = keyed.start(slug)
        for text in texts:
            assert text in keyed.text(start) + keyed.text(start + 1), text
    return check


def sections_in_contents_order(keyed, bare):
    # Declared beta before alpha: the contents lists each section, with its articles under it, in that order.
    page = keyed.contents_page()
    order = [keyed.reading_place(page, t) for t in ("乙栏", "BetaDesk", "乙文标题", "甲栏", "AlphaColumn", "目录中的甲文")]
    assert order == sorted(order)


def section_title_in_running_head(keyed, bare):
    sections_in_contents_order(keyed, bare)
    right = next(n for n in range(keyed.start("03-alpha"), len(keyed.pages)) if n % 2)   # right pages carry the section
    assert "甲栏" in keyed.text(right) and "AlphaColumn" in keyed.text(right)


def section_layout(keyed, bare):
    assert keyed.columns("05-beta", "乙文标题", until="丙文标题") == geometry.of(trim.parse("185×260")).columns["news"].count == 3


def article_layout(keyed, bare):
    # 丙文 sits in the news section but asks for the report layout.
    assert keyed.columns("05-gamma", "丙文标题") == geometry.of(trim.parse("185×260")).columns["body"].count == 2
    section_layout(keyed, bare)


def planned_pages(keyed, bare):
    # Same planned page: 丙文 shares 乙文's page; 甲文 lands on the page it plans.
    assert keyed.start("03-alpha") == 3 and keyed.start("05-beta") == keyed.start("05-gamma") == 5
    assert {a["slug"]: a["planned"] for a in keyed.report["articles"]}["05-gamma"] == 5


def page_count(keyed, bare):
    assert len(keyed.pages) == 12 and keyed.report["content_pages"] < 12 and keyed.report["filler_pages"] > 0
    assert len(bare.pages) == bare.report["content_pages"] + bare.report["filler_pages"]
    assert len(bare.pages) % 4 == 0 and len(bare.pages) < 12


def trim_boxes(keyed, bare):
    for built, (w, h) in ((keyed, (185, 260)), (bare, (210, 285))):
        with pikepdf.open(built.out / "print.pdf") as pdf:
            for page in pdf.pages:
                t, b, m = (list(map(float, page.obj[k])) for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
                assert (mm(t[2] - t[0]), mm(t[3] - t[1])) == (w, h)
                assert [mm(x - y) for x, y in zip(t, b)] == [3, 3, -3, -3]
                assert [mm(x - y) for x, y in zip(t, m)] == [mm(marks.MARGIN)] * 2 + [-mm(marks.MARGIN)] * 2
        with pikepdf.open(built.out / "archive.pdf") as pdf:
            for page in pdf.pages:
                m = list(map(float, page.obj.MediaBox))
                assert (mm(m[2] - m[0]), mm(m[3] - m[1])) == (w, h) and "/TrimBox" not in page.obj


def color_profile(keyed, bare):
    for name in ("print.pdf", "archive.pdf"):
        assert keyed.output_intent(name) == icc.read(Path(PROFILE).read_bytes()).description
        assert bare.output_intent(name) == icc.read(icc.DEFAULT_CMYK.read_bytes()).description != \
            keyed.output_intent(name)


def cover_given(keyed, bare):
    # Without `cover` the cover lists the contents on a colour band.
    assert "本期导读" in bare.text(1) and "本期导读" not in keyed.text(1)


def photo(page_of, size):
    """The photo of the file given drawn on the page (at its pixel size or, resampled, in its
    proportions), and none on the same page of the bare issue."""
    def check(keyed, bare):
        assert any(px == size or (px[0] < size[0] and abs(px[0] / px[1] - size[0] / size[1]) < 0.01)
                   for px, _ in keyed.images(page_of(keyed)))
        if page_of(keyed) in (1, len(keyed.pages)):
            assert bare.images(page_of(bare)) == []
    return check


def as_typed(place, credit):
    """The credit is printed, and printed as typed: the layout adds no word (摄) after it."""
    def check(keyed, bare):
        place(credit)(keyed, bare)
        assert f"{credit}/摄" not in keyed.text() and f"{credit}摄" not in keyed.text()
    return check


def cover_lead(keyed, bare):
    # BARE's cover gives no lines: its lead article's title and subtitle stand on it (the article is not in the contents).
    assert "封面引题文章" in bare.text(1) and "引题的副标题" in bare.text(1)
    assert "封面引题文章" not in bare.contents()


def toc_left_out(keyed, bare):
    assert "丙文标题" in keyed.text() and "丙文标题" not in keyed.contents()


def photo_after(keyed, bare):
    # Spread evenly, the quote would follow the first of the three paragraphs and the photo the
    # second; `after: "丙段 标记"` (its spacing not the text's) puts the photo after the third.
    text = keyed.text()
    assert text.index("丙段标记") < text.index("栏图图注")


def photo_sizes(keyed, bare):
    # object-fit: cover fills each frame, cropping what runs over, so a drawn image is at least as wide
    # as its frame and centred on it: the wide photo on the type area, the column photo on a column.
    area = geometry.of(trim.parse("185×260"))
    top, outer, bottom, inner = area.margins["page"]
    width, column = (185 - outer - inner) * MM, area.columns["body"].chars * 9
    drawn = {px: (page, box) for page in range(3, len(keyed.pages)) for px, box in keyed.placed(page)}
    page, (left, right) = drawn[PHOTOS["wide.png"]]
    assert right - left >= width - 1
    type_area = keyed.type_area(page)
    assert (left + right) / 2 == pytest.approx(sum(type_area) / 2, abs=1)
    page, (left, right) = drawn[PHOTOS["column.png"]]
    assert right - left >= column - 1
    assert any((left + right) / 2 == pytest.approx(edge + sign * column / 2, abs=1)
               for edge, sign in zip(keyed.type_area(page), (1, -1)))         # on the first column or the last
    page = drawn[PHOTOS["page.png"]][0]
    assert "丙文" not in keyed.text(page).replace("整版图注", "")                # a page of its own


def focus(keyed, bare):
    # focus [0.5, 0] on a photo far taller than its page: the crop keeps its top, so the drawn image
    # starts at the top of the bleed (centred, it would stand some 400 mm above it).
    pdf = pdfium.PdfDocument(str(keyed.out / "print.pdf"))
    try:
        for page in pdf:
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
                if tuple(obj.get_px_size()) == PHOTOS["page.png"]:
                    top, bleed_top = obj.get_bounds()[3], page.get_bleedbox()[3]
    finally:
        pdf.close()
    assert top == pytest.approx(bleed_top, abs=1)


def photo_ppi(keyed, bare):
    # The cover photo, 3000 px over some 7.5 inches as placed, is resampled to 200 ppi, never below.
    (px, drawn), = keyed.images(1)
    assert px[0] < PHOTOS["cover.png"][0] and 195 <= px[0] / (drawn[0] / 72) <= 201


def photo_colour(keyed, bare):
    # `rgb`: every photo stays RGB, tagged with its ICC profile (the default converts them to CMYK).
    with pikepdf.open(keyed.out / "print.pdf") as pdf:
        spaces = [o.ColorSpace for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert len(spaces) == len(PHOTOS) and all(cs[0] == "/ICCBased" and cs[1].N == 3 for cs in spaces)


ISSUE_EFFECTS = {
    "publication": on_cover("键值月刊"),
    "year": on_cover("2031年第7期"),
    "number": on_cover("2031年第7期"),
    "total": on_cover("总第97期"),
    "date": on_contents("印刷日期：2031年7月15日"),
    "permit": on_cover("黑新出印字8642"),
    "print_run": on_contents("印数：3579册"),
    "sections": sections_in_contents_order,
    "sections.id": sections_in_contents_order,
    "sections.title": section_title_in_running_head,
    "sections.en": section_title_in_running_head,
    "sections.layout": section_layout,
    "colophon": on_contents("主编：赵六一", "道里区一号", "邮编一五零"),
    "publication_en": on_back("KEYSMONTHLY"),
    "frequency": on_contents("期数：每季一期"),
    "notice": on_cover("内部交流请勿外传"),
    "sponsor": on_contents("键值委员会主办"),
    "slogan": on_contents("一键一测"),
    "award": on_cover("年度优秀刊物"),
    "pages": page_count,
    "trim": trim_boxes,
    "color_profile": color_profile,
    "photo_ppi": photo_ppi,
    "photo_colour": photo_colour,
    "cover": cover_given,
    "cover.headline": on_cover("封面主标题文字"),
    "cover.subhead": on_cover("封面副题文字"),
    "cover.image": photo(lambda b: 1, PHOTOS["cover.png"]),
    "cover.image.src": photo(lambda b: 1, PHOTOS["cover.png"]),
    "cover.image.caption": on_cover("封面图注文字"),
    "cover.image.credit": as_typed(on_cover, "封面摄影甲"),
    "cover.lead": cover_lead,
    "back_cover": on_back("封底标题文字"),
    "back_cover.title": on_back("封底标题文字"),
    "back_cover.subtitle": on_back("封底副题文字"),
    "back_cover.image": photo(lambda b: len(b.pages), PHOTOS["back.png"]),
    "back_cover.image.src": photo(lambda b: len(b.pages), PHOTOS["back.png"]),
    "back_cover.image.caption": on_back("封底图注文字"),
    "back_cover.image.credit": as_typed(on_back, "封底摄影乙"),
}

ARTICLE_EFFECTS = {
    "title": in_article("03-alpha", "甲文标题"),
    "section": sections_in_contents_order,
    "subtitle": in_article("03-alpha", "甲文副题"),
    "kicker": in_article("03-alpha", "甲文眉题"),
    "byline": in_article("03-alpha", "甲文作者"),
    "dateline": in_article("03-alpha", "（2031年6月1日）"),
    "credit": in_article("03-alpha", "（甲文来源工作室）"),
    "page": planned_pages,
    "toc_title": on_contents("目录中的甲文"),
    "toc_subtitle": on_contents("目录中的甲文副题"),
    "toc": toc_left_out,
    "layout": article_layout,
    "pullquote": in_article("03-alpha", "甲文引语放大"),
    "images": photo(lambda b: b.start("03-alpha"), PHOTOS["wide.png"]),
    "images.src": photo(lambda b: b.start("03-alpha"), PHOTOS["wide.png"]),
    "images.caption": in_article("03-alpha", "栏图图注", "宽图图注"),
    "images.credit": as_typed(lambda credit: in_article("03-alpha", credit), "栏图摄影"),
    "images.size": photo_sizes,
    "images.focus": focus,
    "images.after": photo_after,
}


def keys(fields, prefix=""):
    """Every key of a schema field list, nested ones as parent.child."""
    for f in fields:
        yield prefix + f.name
        yield from keys(f.fields, prefix + f.name + ".")


DECLARED = [("issue.yaml", k) for k in keys(schema.ISSUE)] + [("article", k) for k in keys(schema.ARTICLE)]


def test_every_effect_is_of_a_declared_key():
    assert set(ISSUE_EFFECTS) == set(keys(schema.ISSUE))
    assert set(ARTICLE_EFFECTS) == set(keys(schema.ARTICLE))


@pytest.mark.parametrize("where,key", DECLARED, ids=[f"{w}:{k}" for w, k in DECLARED])
def test_the_key_does_what_the_readme_says(built, where, key):
    effects = ISSUE_EFFECTS if where == "issue.yaml" else ARTICLE_EFFECTS
    assert key in effects, f"{where} key {key!r} has no test of its effect: add one to {__name__}"
    effects[key](*built)
