"""`make_issue.py import`: Word manuscripts → articles, read back from the files it writes."""
import io
import re

import pytest
import yaml
from PIL import Image

from periodical.intake.manuscript import split_credit
from periodical.model import load
from periodical.text import text as text_stage
from tests.conftest import run_cli, write_issue
from tests.intake import manuscripts


@pytest.fixture
def issue(tmp_path):
    return write_issue(tmp_path / "2024-04", articles={})


def _article(path):
    source = path.read_text(encoding="utf-8")
    m = load.FRONT_MATTER.match(source)
    body = source[m.end():]
    return yaml.safe_load(m.group(1)), [b for b in body.strip().split("\n\n")], body


def _import(docx, issue, *args, section="news"):
    return run_cli("import", docx, issue, "--section", section, *args)


def test_styled_manuscript(issue, tmp_path):
    expected = manuscripts.styled(tmp_path / "a.docx")
    proc = _import(tmp_path / "a.docx", issue, "--page", "4", "--slug", "ice")
    assert proc.returncode == 0, proc.stderr
    front, blocks, body = _article(issue / "articles" / "04-ice.md")
    assert {k: front[k] for k in ("title", "subtitle", "byline", "credit", "section", "page")} == {
        "title": expected["title"], "subtitle": expected["subtitle"], "byline": expected["byline"],
        "credit": expected["credit"], "section": "news", "page": 4}
    assert [(i["caption"], i["credit"]) for i in front["images"]] == expected["captions"]
    assert [i["src"] for i in front["images"]] == ["images/ice-01.jpg", "images/ice-02.png"]
    assert blocks == [expected["paragraphs"][0], "## " + expected["subheads"][0], *expected["paragraphs"][1:3],
                      "## " + expected["subheads"][1], expected["paragraphs"][3]]
    assert "\u3000" not in body and "\u200b" not in body and "\n\n\n" not in body
    with Image.open(issue / "images" / "ice-01.jpg") as a, Image.open(issue / "images" / "ice-02.png") as b:
        assert (a.format, a.size, b.format, b.size) == ("JPEG", (900, 600), "PNG", (800, 800))
    report = (issue / "articles" / "04-ice.import.txt").read_text(encoding="utf-8")
    assert report in proc.stdout
    for line in ("title       ¶1 (style Title)", "subtitle    ¶2 (starts with ——)", "byline      ¶3",
                 "credit      ¶12 (last line, in brackets)", "caption 1   ¶5 (starts like a caption): 图为专题协商会现场。 | credit: 刘达齐 摄",
                 "sub-head    ¶6 (style Heading 1): 一、打造冰雪旅游品牌", "¶10: 1 invisible character(s) removed (U+200B)",
                 "¶7: 1 soft return(s) joined", "¶4: punctuation and spaces: ',' → '，' ×2", "not imported: nothing",
                 "photo 2     after ¶10: /word/media/image2.png → images/ice-02.png (800×800 px, floating in Word)",
                 "round trip: all"):
        assert line in report, line
    assert run_cli("check", issue).returncode == 0          # the loader reads articles/*.md only, not the report


def test_manuscript_without_styles(issue, tmp_path):
    expected = manuscripts.plain(tmp_path / "b.docx")
    proc = _import(tmp_path / "b.docx", issue)
    assert proc.returncode == 0, proc.stderr
    front, blocks, _ = _article(issue / "articles" / "article-1.md")
    assert (front["title"], front["byline"]) == (expected["title"], expected["byline"])
    assert [(i["caption"], i["credit"]) for i in front["images"]] == expected["captions"]
    assert blocks == [*expected["paragraphs"][:2], "## 委员心声", *expected["paragraphs"][2:]]
    report = proc.stdout
    assert "title       ¶1 (first short paragraph that is bold and centred and larger than the text)" in report
    assert "sub-head    ¶5 (short and bold): 委员心声" in report
    assert "soft return(s) followed by an indent read as new paragraphs" in report


def test_what_is_not_imported_is_listed_and_the_round_trip_fails(issue, tmp_path):
    expected = manuscripts.with_extras(tmp_path / "c.docx")
    proc = _import(tmp_path / "c.docx", issue, "--page", "8")
    assert proc.returncode == 1
    assert not list((issue / "articles").glob("*.md"))              # nothing but the report written
    report = (issue / "articles" / "08-article-1.import.txt").read_text(encoding="utf-8")
    not_imported = report.split("not imported:")[1].split("round trip")[0]
    for kind in expected["not_imported"]:
        assert f"\n  {kind}" in not_imported, kind
    missing = report.split("round trip: MISSING")[1]
    for passage in expected["missing"]:
        assert passage in missing, passage

    proc = _import(tmp_path / "c.docx", issue, "--page", "8", "--accept-loss")
    assert proc.returncode == 0, proc.stderr
    front, blocks, body = _article(issue / "articles" / "08-article-1.md")
    assert front["title"] == expected["title"] and blocks == expected["paragraphs"]
    assert "删去的话" not in body                                     # a tracked deletion is taken as accepted


def test_a_plain_word_table_is_imported_as_a_pipe_table(issue, tmp_path):
    expected = manuscripts.with_table(tmp_path / "t.docx")
    proc = _import(tmp_path / "t.docx", issue, "--page", "8")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    front, blocks, body = _article(issue / "articles" / "08-article-1.md")
    assert front["title"] == expected["title"]
    assert [blocks[0], blocks[2]] == expected["paragraphs"]
    # As the text stage reads it: a table of the manuscript's cells, numbers right-aligned.
    html, problems = text_stage.render_markdown(blocks[1])
    assert problems == [] and html.startswith("<table>")
    cells = [text_stage.printed_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html)]
    assert cells == [c for row in expected["table"] for c in row]
    assert html.count('style="text-align:right"') == 6           # the two columns of numbers, head and rows
    assert "table       ¶2 (after ¶2: 2 rows × 3 columns, the first row its head): 指标 | 2021年 | 2022年" in proc.stdout
    assert "not imported: nothing" in proc.stdout and "round trip: all" in proc.stdout


def test_existing_article_needs_force(issue, tmp_path):
    manuscripts.plain(tmp_path / "b.docx")
    assert _import(tmp_path / "b.docx", issue, "--slug", "visit").returncode == 0
    proc = _import(tmp_path / "b.docx", issue, "--slug", "visit", "--page", "6")
    assert proc.returncode == 2 and "already exists: pass --force" in proc.stderr and "Traceback" not in proc.stderr
    assert _import(tmp_path / "b.docx", issue, "--slug", "visit", "--force").returncode == 0
    assert _import(tmp_path / "b.docx", issue).returncode == 0                    # numbered: a free name
    assert sorted(p.name for p in (issue / "articles").glob("*.md")) == ["article-1.md", "visit.md"]


def test_bad_section_and_folder(issue, tmp_path):
    manuscripts.plain(tmp_path / "b.docx")
    proc = _import(tmp_path / "b.docx", issue, section="sports")
    assert proc.returncode == 2 and "'sports' is not a declared section (news, views)" in proc.stderr
    proc = _import(tmp_path / "b.docx", tmp_path / "nowhere")
    assert proc.returncode == 2 and "issue.yaml: missing" in proc.stderr
    proc = _import(tmp_path / "b.docx", issue, "--slug", "Bad Name")
    assert proc.returncode == 2 and "--slug" in proc.stderr


def test_markdown_characters_print_as_typed(issue, tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("标题", style="Title")
    for line in ("1. 第一条不是列表", "# 不是标题", "*强调*与_下划线_和[方括号]以及<标签>&amp;"):
        d.add_paragraph(line)
    d.save(tmp_path / "m.docx")
    assert _import(tmp_path / "m.docx", issue).returncode == 0
    _, _, body = _article(issue / "articles" / "article-1.md")
    html, _ = text_stage.render_markdown(body)
    plain = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert "<ol" not in html and "<h1" not in html and "<em" not in html and "<a " not in html
    for line in ("1. 第一条不是列表", "# 不是标题", "*强调*与_下划线_和[方括号]以及<标签>&amp;"):
        assert line in plain, line


@pytest.mark.parametrize("caption, expected", [
    ("图为专题协商会现场。刘达齐 摄", ("图为专题协商会现场。", "刘达齐 摄")),
    ("委员们在冰雪大世界调研 哈尔滨日报 王越 供图", ("委员们在冰雪大世界调研", "哈尔滨日报 王越 供图")),
    ("图：委员与社区居民座谈（孙岩 摄）", ("图：委员与社区居民座谈", "孙岩 摄")),
    ("会议现场 记者 张三 摄", ("会议现场", "记者 张三 摄")),
    ("张三 摄", (None, "张三 摄")),
    ("图为大会现场", ("图为大会现场", None)),
    ("委员们在田间地头调研了拍摄", ("委员们在田间地头调研了拍摄", None)),
])
def test_photo_credit_split_as_written(caption, expected):
    assert split_credit(caption) == expected


def test_wps_file_and_gif_photo(issue, tmp_path):
    import docx
    import zipfile
    path = tmp_path / "wps.docx"
    d = docx.Document()
    d.add_paragraph("标题", style="Title")
    d.add_picture(io.BytesIO(manuscripts.photo("GIF", (300, 200))))
    d.add_paragraph("图为现场")
    d.save(path)
    with zipfile.ZipFile(path, "a") as z:                   # what WPS Office writes into every file it saves
        z.writestr("docProps/custom.xml", '<Properties><property name="KSOProductBuildVer"><vt:lpwstr>'
                                          '2052-11.1.0</vt:lpwstr></property></Properties>')
    proc = _import(path, issue)
    assert proc.returncode == 0, proc.stderr
    assert "(saved by WPS Office)" in proc.stdout and "converted from GIF" in proc.stdout
    with Image.open(issue / "images" / "article-1-01.png") as im:
        assert (im.format, im.size) == ("PNG", (300, 200))
