"""Photos cropped to their boxes: a hard crop is told to the editor (report.json, the command line,
the preview's badges); read from a small issue built through the command line, its photos made
with Pillow, and from pages laid out here."""
import json
import re

import pytest
import weasyprint
from PIL import Image

from periodical.render import facts, photos

from ..conftest import PARAGRAPH, run_cli, write_issue
from .photo_issue import photo

ARTICLES = {
    # A 3:2 landscape on a page of its own (216 × 291 mm with the bleed): half its width shows.
    "01-page.md": f"""\
        ---
        title: 整版横图
        section: news
        images:
          - {{src: images/landscape.jpg, caption: 整版横图, size: page}}
          - {{src: images/column.jpg, caption: 栏图, size: column}}
        ---

        {PARAGRAPH * 3}

        {PARAGRAPH * 3}
        """,
}


@pytest.fixture(scope="module")
def crop_build(tmp_path_factory):
    """(issue folder, output folder, report, command line's output)."""
    root = tmp_path_factory.mktemp("crops")
    issue = write_issue(root / "2024-03", articles=ARTICLES)
    (issue / "images").mkdir()
    photo(issue / "images" / "landscape.jpg", (3000, 2000), (40, 90, 150))
    photo(issue / "images" / "column.jpg", (1500, 1000), (150, 90, 40))
    proc = run_cli("build", issue, "--out", root / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return issue, root / "out", json.loads((root / "out" / "report.json").read_text(encoding="utf-8")), proc.stdout


def crops(report):
    """{page: [crop warnings]} of the flatplan."""
    return {p["page"]: [w for w in p["warnings"] if w["kind"] == "crop"] for p in report["flatplan"]
            if any(w["kind"] == "crop" for w in p["warnings"])}


def test_a_page_photo_showing_half_its_width_is_warned_of_with_file_key_src_and_share(crop_build):
    _, out, report, stdout = crop_build
    found = crops(report)
    # Only the page photo: the column photo (3:2 in a box about 2:1) shows three quarters of it.
    [(page, [warning])] = found.items()
    assert warning["article"] == "01-page" and 0.45 < warning["shown"] < 0.55
    message = warning["message"]
    assert message.startswith("articles/01-page.md: images[0] (images/landscape.jpg): a page photo shows")
    assert re.search(r"shows (4\d|50)% of the picture \((4\d|50)% of its width\)", message) and "focus: [x, y]" in message
    row = next(r for r in report["photos"] if r["key"] == "images[0]")
    assert row["shown"][1] == 1.0 and row["shown"][0] == pytest.approx(warning["shown"], abs=0.01)
    assert next(r for r in report["photos"] if r["key"] == "images[1]")["shown"][0] == 1.0
    # In the report's warnings and on the command line, with its page.
    assert f"p.{page}: crop: {message}" in report["warnings"]
    assert f"warning: p.{page}: crop: {message}" in stdout
    again = run_cli("build", crop_build[0], "--out", out)          # up to date: the report printed again
    assert f"warning: p.{page}: crop: {message}" in again.stdout
    # A badge on its page in the preview, with the message as its title.
    html = (out / "preview" / "index.html").read_text(encoding="utf-8")
    figure = re.search(rf'id="page-{page}"(.*?)</figure>', html, re.S).group(1)
    assert 'data-kind="crop"' in figure and "images[0]" in figure


def laid_out(tmp_path, style, size=(3000, 2000)):
    """The placement photos.py reads of one photo laid out in a 100 × 100 mm box."""
    Image.new("RGB", size, (90, 90, 90)).save(tmp_path / "p.png")
    html = (f"<style>@page {{ size: 120mm 120mm; margin: 10mm }} img {{ display: block; width: 100mm; "
            f"height: 100mm; object-fit: cover; {style} }}</style><img data-item='x' src='p.png'>")
    pages = weasyprint.HTML(string=html, base_url=tmp_path.as_uri() + "/").render().pages
    return photos.placements(pages)["x"]


def test_the_placement_knows_which_part_of_the_photo_its_box_shows(tmp_path):
    # 3000 × 2000 covering a square: drawn 150 × 100 mm, two thirds of its width shown.
    middle = laid_out(tmp_path, "")
    assert middle.shown == pytest.approx((2 / 3, 1.0))
    x, y, w, h = middle.visible
    assert (x, y) == pytest.approx((middle.drawn[0] / 6, 0)) and (w, h) == pytest.approx(middle.box)
    # The focus moves the part shown: at 0 % the left of the photo, at 100 % its right.
    assert laid_out(tmp_path, "object-position: 0% 50%").visible[0] == pytest.approx(0)
    right = laid_out(tmp_path, "object-position: 100% 50%")
    assert right.visible[0] + right.visible[2] == pytest.approx(right.drawn[0])


def test_the_warning_falls_under_65_percent_and_a_cover_is_told_to_crop_the_picture(tmp_path):
    row = {"file": "articles/a.md", "key": "images[2]", "src": "images/a.jpg", "size": "wide",
           "placed_mm": [173.0, 70.0], "shown": [1.0, 0.61]}
    assert facts.crop_message(row) == ("articles/a.md: images[2] (images/a.jpg): a wide photo shows 61% of the "
                                       "picture (61% of its height); `focus: [x, y]` chooses what stays, or another size")
    cover = {**row, "file": "issue.yaml", "key": "cover.image", "size": None, "placed_mm": [216.0, 170.0]}
    assert facts.crop_message(cover).endswith("its frame shows 61% of the picture (61% of its height); "
                                              "crop the picture to the frame's 216 × 170 mm to choose what stays")
    # A 4:3 phone photo in a 2:1 column box (68% shown) is the everyday crop; 61% is warned of.
    Image.new("RGB", (40, 30)).save(tmp_path / "p.png")
    pages = weasyprint.HTML(string="<img data-item='x' src='p.png'>", base_url=tmp_path.as_uri() + "/").render().pages
    for shown, warned in ((0.68, []), (0.61, ["crop"])):
        [page] = facts.pages(pages, (), {"x": {**row, "shown": [1.0, shown]}})
        assert [w["kind"] for w in page["warnings"] if w["kind"] != "low-res"] == warned
