"""Registration targets and the slug line's content, on the print file's rendered sheet."""
import pikepdf
import pypdfium2
import yaml

from periodical.output import finishing

from ..conftest import ISSUE148
from .test_marks import ink, sheet  # noqa: F401  (sheet: the module's fixture)

MM = 72 / 25.4


def test_registration_targets_stand_in_the_middle_of_each_side_on_every_plate(sheet, issue148):  # noqa: F811
    _, _, (w, h) = sheet
    # Between the bleed (3 mm) and the sheet's edge (12 mm), at the middle of each side: ink;
    # a quarter of the way along the same side: paper.
    for middle, quarter in (((w / 2 - 3, -11, w / 2 + 3, -4), (w / 4 - 3, -11, w / 4 + 3, -4)),
                            ((w / 2 - 3, h + 4, w / 2 + 3, h + 11), (w / 4 - 3, h + 4, w / 4 + 3, h + 5)),
                            ((-11, h / 2 - 3, -4, h / 2 + 3), (-11, h / 4 - 3, -4, h / 4 + 3)),
                            ((w + 4, h / 2 - 3, w + 11, h / 2 + 3), (w + 4, h / 4 - 3, w + 11, h / 4 + 3))):
        assert ink(sheet, *middle) < 100 and ink(sheet, *quarter) > 200, middle
    # Drawn in a Separation named All: the same on every plate.
    with pikepdf.open(issue148[0] / "print.pdf") as pdf:
        spaces = [s for s in pdf.pages[3].Resources.ColorSpace.values()
                  if isinstance(s, pikepdf.Array) and s[0] == "/Separation"]
        assert any(s[1] == "/All" for s in spaces)


def test_the_slug_names_publication_issue_page_date_and_file_and_is_drawn_per_page(issue148):
    m = yaml.safe_load((ISSUE148 / "issue.yaml").read_text(encoding="utf-8"))

    class Description:
        date = m["date"]
    from periodical.output.outputs import BY_NAME
    from periodical.model.load import load_issue
    text = finishing.slug(load_issue(ISSUE148), Description, BY_NAME["print"], 4)
    for fact in (m["publication"], f"{m['year']}年第{m['number']}期", f"总第{m['total']}期", "第 04 页",
                 str(m["date"]), "print.pdf"):
        assert str(fact) in text, fact
    # The drawing follows the text: the slugs of pages 4 and 5 differ (their page numbers), the
    # slug of page 4 of two renders is the same.
    doc = pypdfium2.PdfDocument(str(issue148[0] / "print.pdf"))
    try:
        def slug_area(n):
            page = doc[n - 1]
            image = page.render(scale=4, grayscale=True).to_pil()
            with pikepdf.open(issue148[0] / "print.pdf") as pdf:
                media, trim = [float(v) for v in pdf.pages[n - 1].obj.MediaBox], [float(v) for v in pdf.pages[n - 1].obj.TrimBox]
            top = (media[3] - trim[1] + 4 * MM) * 4
            return image.crop((0, round(top), image.width // 2, round(top + 6 * MM * 4))).tobytes()
        four, five = slug_area(4), slug_area(5)
        assert min(four) < 100                                   # something is drawn there
        assert four != five and four == slug_area(4)
    finally:
        doc.close()
