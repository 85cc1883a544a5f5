"""Nothing lost: every item of the data is found in the laid-out pages, or a problem names it."""
import json
import os
import re
import shutil
import subprocess
import sys

import pikepdf
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from periodical import build as pipeline
from periodical.check import inventory
from periodical.compose import compose
from periodical.model import load
from periodical.preflight import pdfscan
from periodical.text import text

from .. import pdftext
from ..conftest import ISSUE148, MINIMAL_YAML, PARAGRAPH, ROOT, write_issue

SIZES = ("column", "column", "wide", "page")


def article(photos, quotes, paragraphs):
    """An article with `photos` (their sizes), `quotes` pull quotes and `paragraphs` paragraphs."""
    front = ["---", "title: 照片很多的文章", "section: news"]
    if quotes:
        front += ["pullquote:"] + [f"  - 第{n + 1}条引语：委员们建言献策" for n in range(quotes)]
    if photos:
        front += ["images:"] + [f"  - {{src: images/p{n}.jpg, caption: 第{n + 1}张图的说明, credit: 记者{n + 1} 摄, "
                                f"size: {size}}}" for n, size in enumerate(photos)]
    body = "\n\n".join(f"第{n + 1}段。{PARAGRAPH}" for n in range(paragraphs))
    return "\n".join(front + ["---", "", body, ""])


def write(folder, photos, quotes, paragraphs):
    issue = write_issue(folder, MINIMAL_YAML, {"01-photos.md": article(photos, quotes, paragraphs)})
    (issue / "images").mkdir(exist_ok=True)
    for n in range(len(photos)):
        Image.new("RGB", (480, 320), (20 * n % 255, 90, 160)).save(issue / "images" / f"p{n}.jpg", quality=90)
    return issue


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(photos=st.lists(st.sampled_from(SIZES), max_size=12), quotes=st.integers(0, 3),
       paragraphs=st.integers(1, 30))
@example(photos=["column"] * 3, quotes=0, paragraphs=2)              # the case that lost a photo
@example(photos=["column", "wide", "column", "page"] * 3, quotes=3, paragraphs=4)
def test_every_photo_quote_and_paragraph_is_printed(tmp_path_factory, photos, quotes, paragraphs):
    folder = tmp_path_factory.mktemp("inventory")
    issue = write(folder / "2024-03", photos, quotes, paragraphs)
    report = pipeline.build(issue, folder / "out", progress=lambda m: None)
    # title, paragraphs, each photo with its caption and credit, quotes: all on a page.
    assert report["inventory"]["items"] == 1 + paragraphs + 3 * len(photos) + quotes
    assert report["inventory"]["lost"] == [] and report["problems"] == []
    with pikepdf.open(folder / "out" / "print.pdf") as pdf:
        drawn = [img for page in pdfscan.scan(pdf) for img in page.images]
    assert len(drawn) == len(photos)
    # In the order written, read from the PDF's text: photos and quotes move on, text never does.
    printed = [int(n) for n in re.findall(r"第(\d+)段", pdftext.body_text(folder / "out" / "print.pdf", exact=True))]
    assert printed == list(range(1, paragraphs + 1))


def test_a_text_block_printed_before_one_its_article_writes_earlier_is_named():
    page = lambda *items: {"items": list(items)}
    pages = [page("a.md|title", "a.md|body[0]", "a.md|images[0]", "a.md|body[2]"),
             page("b.md|body[0]", "a.md|body[1]", "a.md|body[3]", "b.md|body[1]")]
    assert inventory.out_of_order(pages) == [("a.md", 2, 1)]
    assert inventory.out_of_order(pages[:1] + [page("a.md|body[3]", "a.md|images[1]")]) == []


def test_three_photos_and_two_paragraphs_all_stand_in_the_html(tmp_path):
    # The case that lost a photo: the photos rounded to the same gap between two paragraphs.
    issue = text.prepare(load.load_issue(write(tmp_path / "2024-03", ["column"] * 3, 1, 2)))
    [part] = [p for p in compose.parts(issue) if p.slugs]
    html = compose.compose(issue, part, 3)
    items = [f'data-item="articles/01-photos.md|{key}"' for key in
             ("pullquote[0]", "images[0]", "body[1]", "images[1]", "images[2]")]
    assert all(i in html for i in items)
    assert [html.index(i) for i in items if "images" in i] == sorted(html.index(i) for i in items if "images" in i)


def test_an_item_the_pages_do_not_show_is_a_problem_naming_file_and_key(tmp_path):
    issue = write(tmp_path / "2024-03", ["column"], 1, 3)
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", layouts)
    with open(layouts / "magazine.css", "a", encoding="utf-8") as css:
        css.write("\n.photo-credit, .pullquote { display: none; }\n")     # a house style that loses two items
    env = dict(os.environ, PERIODICAL_LAYOUTS=str(layouts))
    for strict in ([], ["--strict"]):
        proc = subprocess.run([sys.executable, str(ROOT / "make_issue.py"), "build", str(issue),
                               "--out", str(tmp_path / "out"), *strict],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 1, proc.stderr
        lost = sorted(line for line in proc.stdout.splitlines() if line.startswith("problem:") and "(lost)" in line)
        assert len(lost) == 2, proc.stdout
        assert "2024-03/articles/01-photos.md: images[0].credit: credit “记者1 摄”" in lost[0]
        assert "2024-03/articles/01-photos.md: pullquote[0]: pull quote" in lost[1]


def test_issue_148_prints_every_item_of_its_data(issue148):
    out, _ = issue148
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    expected = compose.inventory(text.prepare(load.load_issue(ISSUE148)))
    assert report["inventory"] == {"items": len(expected), "printed": len(expected), "lost": [], "out_of_order": []}
