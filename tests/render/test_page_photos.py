"""Full-page photos (`size: page`): a page of their own, covering trim and bleed, no running head
or folio, the caption on the photo; read from print.pdf's bytes (positions, not pixels)."""
import pypdfium2
import pypdfium2.raw as pdfium_c

from ..conftest import run_cli
from .photo_issue import photo_build  # noqa: F401  (a fixture)

TOLERANCE = 0.5          # pt


def photo_pages(out):
    """{caption text: (bleed box, [image bounds])} for each page that shows a page photo's caption."""
    pdf = pypdfium2.PdfDocument(str(out / "print.pdf"))
    found = {}
    for page in pdf:
        text = page.get_textpage().get_text_range().strip()
        images = [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=15)]
        if text.startswith(("冰雪大世界全景", "松花江畔")):
            found[text] = (page.get_bleedbox(), images)
    return found


def test_each_page_photo_covers_its_page_to_the_bleed_on_all_four_sides_and_prints_only_its_caption(photo_build):  # noqa: F811
    pages = photo_pages(photo_build[1])
    # The page's only text is the caption and credit: no running head, no folio.
    assert sorted(pages) == ["冰雪大世界全景 李威", "松花江畔 赵刚"]
    for text, (bleed, images) in pages.items():
        left, bottom, right, top = bleed
        assert len(images) == 1, text
        x0, y0, x1, y1 = images[0]
        assert x0 <= left + TOLERANCE and y0 <= bottom + TOLERANCE, text
        assert x1 >= right - TOLERANCE and y1 >= top - TOLERANCE, text


def test_the_folio_counts_the_photo_pages(photo_build):  # noqa: F811
    _, out, report = photo_build
    start = {a["slug"]: a["actual"] for a in report["contents"]}
    pdf = pypdfium2.PdfDocument(str(out / "print.pdf"))
    after = start["05-after-photos"]
    assert after == start["04-page-photos"] + 3            # its text page, then two photo pages
    folio = pdf[after - 1].get_textpage().get_text_range().split()[-1]
    assert folio == f"{after:02d}"


def test_a_crop_is_even_on_both_sides_unless_a_focus_moves_it(photo_build):  # noqa: F811
    pages = photo_pages(photo_build[1])
    # The portrait photo (no focus) is taller than the page: cut equally at top and bottom.
    (left, bottom, right, top), [(x0, y0, x1, y1)] = pages["松花江畔 赵刚"]
    assert abs((top - y1) - (y0 - bottom)) < TOLERANCE and y1 - top > 10
    # The landscape one has focus [0.3, 0.5]: its sides are cut 30:70, keeping more of the left.
    (left, bottom, right, top), [(x0, y0, x1, y1)] = pages["冰雪大世界全景 李威"]
    cut_left, cut_right = left - x0, x1 - right
    assert abs(cut_left / (cut_left + cut_right) - 0.3) < 0.01


def test_a_focus_outside_the_photo_is_an_input_error_with_file_line_and_key(photo_build, tmp_path):  # noqa: F811
    issue = photo_build[0]
    article = issue / "articles" / "04-page-photos.md"
    bad = tmp_path / "2024-03"
    bad.mkdir()
    for path in issue.rglob("*"):
        target = bad / path.relative_to(issue)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    (bad / "articles" / article.name).write_text(
        article.read_text(encoding="utf-8").replace("focus: [0.3, 0.5]", "focus: [1.5, middle]"), encoding="utf-8")
    proc = run_cli("check", bad)
    assert proc.returncode == 2, proc.stderr
    line = next(n for n, text in enumerate((bad / "articles" / article.name).read_text(encoding="utf-8").splitlines(), 1)
                if "focus" in text)
    assert f"04-page-photos.md:{line}: images[0].focus: must be [x, y] with x and y from 0 to 1" in proc.stderr
    assert "Traceback" not in proc.stderr
