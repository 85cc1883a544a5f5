"""Photos cropped to their boxes: a hard crop is told to the editor (report.json, the command line,
the preview's badges); read from a small issue built through the command line, its photos made
with Pillow, and from pages laid out here."""
import json
import re

import pypdfium2
import pypdfium2.raw as pdfium_c
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
    # An 800 × 4000 panorama as a column photo, beside a landscape one (the same file as above).
    "02-tall.md": f"""\
        ---
        title: 竖长全景
        section: views
        images:
          - {{src: images/column.jpg, caption: 栏图, size: column}}
          - {{src: images/pano.jpg, caption: 竖长全景, size: column}}
        ---

        {PARAGRAPH * 3}

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
    photo(issue / "images" / "pano.jpg", (800, 4000), (60, 140, 90))
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
    # The page photo (and the panorama): not the column photo, 3:2 in a box about 2:1, three quarters shown.
    [(page, [warning])] = [(p, ws) for p, ws in found.items() if ws[0]["article"] == "01-page"]
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


def image_bounds(pdf_path):
    """{(page number, pixel width, pixel height): (width, height) in mm} of each image drawn in a PDF."""
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    found = {}
    try:
        for n, page in enumerate(pdf, 1):
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=15):
                x0, y0, x1, y1 = obj.get_bounds()
                found[(n, *obj.get_px_size())] = ((x1 - x0) * MM_PER_PT, (y1 - y0) * MM_PER_PT)
    finally:
        pdf.close()
    return found


MM_PER_PT = 25.4 / 72


def test_a_very_tall_photo_stands_half_its_column_wide_cropped_and_warned_of(crop_build):
    _, out, report, _ = crop_build
    rows = {r["src"]: r for r in report["photos"] if r["file"] == "articles/02-tall.md"}
    column, pano = rows["images/column.jpg"], rows["images/pano.jpg"]
    # Half the column wide (a 800 × 4000 at its own proportions was 12.6 mm wide), as tall as planned.
    assert pano["placed_mm"][0] == pytest.approx(column["placed_mm"][0] / 2, abs=0.2)
    assert pano["placed_mm"][1] == pytest.approx(1.5 * column["placed_mm"][1], abs=0.2)
    shown = pano["placed_mm"][1] / (pano["placed_mm"][0] * 5)       # of its height
    assert pano["shown"] == [1.0, pytest.approx(shown, abs=0.01)]
    [warning] = [w for ws in crops(report).values() for w in ws if w["article"] == "02-tall"]
    assert warning["message"].startswith("articles/02-tall.md: images[1] (images/pano.jpg): a column photo shows 3")
    assert "of its height" in warning["message"]
    # In print.pdf: the widths of the two photos' boxes, read from the bytes.
    widths = sorted(round(w) for (page, *_), (w, h) in image_bounds(out / "print.pdf").items()
                    if 10 < w < 100 and h > 30)
    assert widths[0] >= round(column["placed_mm"][0] / 2) - 1
