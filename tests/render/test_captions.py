"""A short photo credit stays on one line: read from print.pdf's characters (pdfium) of an issue
whose captions end at every place along a column's line."""
import pytest
from PIL import Image

from periodical.check import pdfchars

from ..conftest import PARAGRAPH, run_cli, write_issue

CREDIT = "图/ 新华社"
# Captions of 18 to 31 Han characters: one of them ends where the credit reaches the line's end.
CAPTIONS = ["中央大街百年老建筑全景照片资料图片翻拍冬季夜景灯光冰雪大世界"[:n] for n in range(18, 32)]


@pytest.fixture(scope="module")
def caption_pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("captions")
    images = "".join(f"  - {{src: images/p.jpg, caption: {c}, credit: {CREDIT}}}\n" for c in CAPTIONS)
    issue = write_issue(root / "2024-03", articles={
        "01-photos.md": f"---\ntitle: 图片说明\nsection: news\nimages:\n{images}---\n\n"
                        + "\n\n".join([PARAGRAPH * 2] * len(CAPTIONS)) + "\n"})
    (issue / "images").mkdir()
    Image.new("RGB", (600, 400), (90, 120, 150)).save(issue / "images" / "p.jpg")
    proc = run_cli("build", issue, "--out", root / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return root / "out" / "print.pdf"


def test_a_short_credit_is_never_split_across_lines(caption_pdf):
    credit, found = CREDIT.replace(" ", ""), 0          # (a space may be drawn or not)
    for page in pdfchars.read_pages(caption_pdf):
        chars = [c for c in page if not c.ch.isspace()]
        text = "".join(c.ch for c in chars)
        at = text.find(credit)
        while at >= 0:
            assert len({round(c.y) for c in chars[at:at + len(credit)]}) == 1, f"{credit} split"
            found += 1
            at = text.find(credit, at + 1)
    assert found == len(CAPTIONS)
