"""Files that are not a readable .docx: refused with what they are and what to do (exit 2)."""
import io
import zipfile

import docx
import pytest
from PIL import Image

from tests.conftest import run_cli, write_issue
from tests.intake import manuscripts

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _good(path):
    manuscripts.plain(path)
    return path


def _with_entry(path, name, data):
    _good(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return path


def _huge_photo(path):
    d = docx.Document()
    d.add_paragraph("标题", style="Title")
    png = io.BytesIO()
    Image.new("1", (8000, 8000)).save(png, "PNG")          # 64 megapixels, a few kB on disk
    d.add_picture(png)
    d.save(path)
    return path


def _excel_like(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


def _template(path):
    _good(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"document.main+xml", b"template.main+xml")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


BAD = {
    "old.doc": (lambda p: p.write_bytes(OLE2 + b"Microsoft Word 97"), "Word 97–2003 document (.doc)"),
    "draft.wps": (lambda p: p.write_bytes(OLE2 + "WPS".encode("utf-16-le")), "WPS Office document (.wps)"),
    "locked.docx": (lambda p: p.write_bytes(OLE2 + "EncryptionInfo".encode("utf-16-le")), "protected by a password"),
    "renamed.docx": (lambda p: p.write_text("只是文字，改了扩展名", encoding="utf-8"), "not a zip package"),
    "page.docx": (lambda p: p.write_text("<html><body>网页</body></html>", encoding="utf-8"), "web page"),
    "cut.docx": (lambda p: p.write_bytes(_good(p).read_bytes()[:3000]), "damaged"),
    "bomb.docx": (lambda p: _with_entry(p, "word/media/padding.bin", b"\0" * 5_000_000), "zip bomb"),
    "sheet.docx": (_excel_like, "an Excel workbook (no word/document.xml)"),
    "form.docx": (_template, "a Word template or macro document"),
    "huge.docx": (_huge_photo, "8000×8000 pixels, more than the 60 megapixels accepted"),
    "missing.docx": (lambda p: None, "no such file"),
}


@pytest.mark.parametrize("name", BAD)
def test_refused_with_what_it_is(tmp_path, name):
    issue = write_issue(tmp_path / "issue", articles={})
    make, message = BAD[name]
    make(tmp_path / name)
    proc = run_cli("import", tmp_path / name, issue, "--section", "news")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr and name in proc.stderr and "Traceback" not in proc.stderr
    if name not in ("cut.docx", "bomb.docx", "sheet.docx", "huge.docx", "missing.docx"):
        assert "save it as a Word document (.docx)" in proc.stderr or "remove the password" in proc.stderr
    assert list((issue / "articles").iterdir()) == [] and not (issue / "images").exists()


def test_vector_pictures_are_listed_not_placed(tmp_path):
    issue = write_issue(tmp_path / "issue", articles={})
    path = tmp_path / "emf.docx"
    d = docx.Document()
    d.add_paragraph("标题", style="Title")
    d.add_picture(io.BytesIO(manuscripts.photo("PNG", (60, 40))))
    d.add_paragraph("正文。")
    d.save(path)
    with zipfile.ZipFile(path) as z:                        # declare the picture an EMF, as Word does for charts
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/media/image1.png" ContentType="image/x-emf"/></Types>')
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    proc = run_cli("import", path, issue, "--section", "news")
    assert proc.returncode == 0, proc.stderr
    assert "WMF/EMF picture" in proc.stdout.split("not imported:")[1]
    assert not (issue / "images").exists() or not list((issue / "images").iterdir())
