"""The static preview that every build writes: page images from print.pdf, spreads, page map, flow diff."""
import json
import re
import shutil

import pikepdf
import pypdf
import pypdfium2
from PIL import Image

from periodical import build as pipeline
from periodical.preview import preview, raster

from ..conftest import PARAGRAPH, run_cli, write_flow_issue


def build(issue, out):
    proc = run_cli("build", issue, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8")), proc


def manifest(out):
    return json.loads((out / "preview" / "preview.json").read_text(encoding="utf-8"))


def pixels(pdf):
    """Every page of a PDF rendered by pdfium at the preview's scale, as raw bytes."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[n].render(scale=raster.SCALE).to_pil().tobytes() for n in range(len(doc))]
    finally:
        doc.close()


def test_spreads_open_like_the_magazine():
    pages = [{"number": n} for n in range(1, 9)]
    numbers = [[p and p["number"] for p in spread] for spread in preview.spreads(pages)]
    assert numbers == [[None, 1], [2, 3], [4, 5], [6, 7], [8, None]]


def test_a_build_writes_a_preview_of_every_page_that_opens_from_disk(tmp_path):
    out = tmp_path / "out"
    report, proc = build(write_flow_issue(tmp_path / "2024-03"), out)
    html = (out / "preview" / "index.html").read_text(encoding="utf-8")
    m = manifest(out)

    assert f"{report['pages']} of {report['pages']} pages rasterised" in proc.stderr
    assert html.count('class="spread"') == 1 + report["pages"] // 2
    assert "<body data-live" not in html                                 # a static copy: no server needed
    # Every image is there, drawn from print.pdf at the page's proportions.
    box = pypdf.PdfReader(out / "print.pdf").pages[0].trimbox
    for page in m["pages"]:
        for name in (f"{page['image']}.png", f"{page['image']}.thumb.png"):
            assert f"pages/{name}" in html
            width, height = Image.open(out / "preview" / "pages" / name).size
            assert abs(height / width - float(box.height) / float(box.width)) < 0.01
    for a in report["articles"]:
        assert a["title"] in html
    start = {a["slug"]: a["start"] for a in report["articles"]}
    fpo_page = re.search(rf'id="page-{start["03-opening"]}".*?</figure>', html, re.S).group(0)
    assert 'data-kind="FPO"' in fpo_page
    assert not m["changed"] and not m["moved"]                             # nothing to compare with yet


def build_counting_renders(issue, out, monkeypatch):
    """Build in this process, counting the pages pdfium draws (each page: image and thumbnail)
    and the pages of print.pdf the preview reads to key them (raster.content_keys)."""
    drawn, keyed = [], []
    real, real_keys = pypdfium2.PdfPage.render, raster.content_keys

    def render(page, *args, **kwargs):
        drawn.append(page)
        return real(page, *args, **kwargs)

    def content_keys(pdf_path, salt=b"", numbers=None):
        keys = real_keys(pdf_path, salt, numbers)
        keyed.extend(keys)
        return keys
    log = []
    with monkeypatch.context() as m:
        m.setattr(pypdfium2.PdfPage, "render", render)
        m.setattr(raster, "content_keys", content_keys)
        report = pipeline.build(issue, out, progress=log.append)
    return report, len(drawn) // 2, "\n".join(log), len(keyed)


def drawings(pdf):
    """Each page's content stream and the images it places: equal drawings, equal pictures."""
    with pikepdf.open(pdf) as doc:
        return [pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)) + b"".join(bytes(x.read_raw_bytes()) for x in
                page.get_images().values()) for page in doc.pages]


def files(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.png")}


def test_a_rebuild_rasterises_only_the_pages_that_changed_and_lists_what_moved(tmp_path, monkeypatch):
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    before, _ = build(issue, out)
    article = issue / "articles" / "04-report.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")   # saved, nothing visible
    old_files = files(out / "preview" / "pages")
    _, drawn, log, keyed = build_counting_renders(issue, out, monkeypatch)
    assert drawn == 0 and f"0 of {before['pages']} pages rasterised" in log
    assert keyed == 0            # each page known by its part, which is as it was
    assert files(out / "preview" / "pages") == old_files                   # not one file written again
    assert not manifest(out)["changed"]
    old_pdf = shutil.copy(out / "print.pdf", tmp_path / "old.pdf")
    old = manifest(out)

    article.write_text(article.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
    after, drawn, log, keyed = build_counting_renders(issue, out, monkeypatch)
    new = manifest(out)

    # pdfium draws exactly the pages whose drawing is new, read from the two PDFs.
    old_drawings = set(drawings(old_pdf))
    new_drawings = drawings(out / "print.pdf")
    assert drawn == sum(1 for d in new_drawings if d not in old_drawings)
    assert 0 < drawn < after["pages"] and f"{drawn} of {after['pages']} pages rasterised" in log
    assert drawn <= keyed < after["pages"]      # only the new parts' pages read
    # A page is marked changed exactly when its pixels differ from the previous build's.
    old_pixels, new_pixels = pixels(old_pdf), pixels(out / "print.pdf")
    differ = [n for n, image in enumerate(new_pixels, 1) if n > len(old_pixels) or image != old_pixels[n - 1]]
    assert [p["number"] for p in new["pages"] if p["changed"]] == differ
    assert 0 < len(differ) < after["pages"]
    # Files of pages that look as before are not touched; pages that look new are new files.
    now = files(out / "preview" / "pages")
    assert all(now[name] == stamp for name, stamp in old_files.items() if name in now)
    assert {p["image"] for p in new["pages"] if p["changed"]} <= {n.split(".")[0] for n in set(now) - set(old_files)}
    starts = {a["slug"]: a["start"] for a in before["articles"]}
    moved = [{"slug": a["slug"], "from": starts[a["slug"]], "to": a["start"]}
             for a in after["articles"] if a["start"] != starts[a["slug"]]]
    assert [{k: m[k] for k in ("slug", "from", "to")} for m in new["moved"]] == moved
    assert [m["slug"] for m in moved] == ["05-views", "06-closing"]
    html = (out / "preview" / "index.html").read_text(encoding="utf-8")
    for m in moved:
        assert f"moved from p.{m['from']} to p.{m['to']}" in html
    # Images of the build before stay (a browser may still show them); older ones go.
    kept = {f.name.split(".")[0] for f in (out / "preview" / "pages").glob("*.png")}
    assert kept == {p["image"] for p in new["pages"] + old["pages"]}


def test_bad_input_leaves_the_last_preview_untouched(tmp_path):
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    build(issue, out)
    index = (out / "preview" / "index.html").read_bytes()
    (issue / "issue.yaml").write_text("publication: [unclosed\n", encoding="utf-8")
    proc = run_cli("build", issue, "--out", out)
    assert proc.returncode == 2 and "issue.yaml:" in proc.stderr and "YAML syntax error" in proc.stderr
    assert (out / "preview" / "index.html").read_bytes() == index
