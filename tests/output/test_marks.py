"""The printer's marks on print.pdf, as a press operator sees them on the rendered sheet."""
import pikepdf
import pypdfium2
import pytest

MM = 72 / 25.4
DPI = 100


@pytest.fixture(scope="module")
def sheet(issue148):
    """Page 4 of the print file rendered over its MediaBox, and where its trim sits in it (mm)."""
    with pikepdf.open(issue148[0] / "print.pdf") as pdf:
        page = pdf.pages[3].obj
        media, trim = [float(v) for v in page.MediaBox], [float(v) for v in page.TrimBox]
    doc = pypdfium2.PdfDocument(str(issue148[0] / "print.pdf"))
    try:
        image = doc[3].render(scale=DPI / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    inset = ((trim[0] - media[0]) / MM, (media[3] - trim[3]) / MM)          # left, top
    size = ((trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM)
    return image, inset, size


def ink(sheet, x0, y0, x1, y1):
    """Darkest pixel in a rectangle given in mm from the trim's top-left corner (y down)."""
    image, (left, top), _ = sheet
    px = sorted(round((v + left) / 25.4 * DPI) for v in (x0, x1))
    py = sorted(round((v + top) / 25.4 * DPI) for v in (y0, y1))
    return image.crop((px[0], py[0], px[1], py[1])).getextrema()[0]


def test_nothing_is_printed_in_the_bleed_of_a_white_page(sheet):
    _, _, (w, h) = sheet
    for band in ((-3, -3, w + 3, -0.3), (-3, h + 0.3, w + 3, h + 3), (-3, 0, -0.3, h), (w + 0.3, 0, w + 3, h)):
        assert ink(sheet, *band) > 200, band


def test_crop_marks_stand_outside_the_bleed_on_the_trim_lines(sheet):
    _, _, (w, h) = sheet
    for x, y in ((0, 0), (w, 0), (0, h), (w, h)):
        out = -1 if y == 0 else 1
        assert ink(sheet, x - 0.3, y + out * 8, x + 0.3, y + out * 5) < 100     # vertical mark beyond the bleed
        side = -1 if x == 0 else 1
        assert ink(sheet, x + side * 8, y - 0.3, x + side * 5, y + 0.3) < 100   # horizontal mark


def test_the_slug_line_is_drawn_below_the_trim_and_is_not_text(sheet, issue148):
    _, _, (w, h) = sheet
    assert ink(sheet, 3, h + 5.5, 60, h + 8.5) < 100
    doc = pypdfium2.PdfDocument(str(issue148[0] / "print.pdf"))
    archive = pypdfium2.PdfDocument(str(issue148[0] / "archive.pdf"))
    try:
        text = doc[3].get_textpage().get_text_range()
        assert "print.pdf" not in text and text == archive[3].get_textpage().get_text_range()
    finally:
        doc.close()
        archive.close()
