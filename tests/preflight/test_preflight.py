"""make_issue.py preflight on our print file, on a deliberately bad PDF, and `build --strict`."""
import json
import math
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..conftest import MINIMAL_YAML, run_cli, write_issue

MM = 72 / 25.4


def bad_pdf(path):
    """47 pages without TrimBox; text in DeviceRGB in an unembedded font; a 50 ppi RGB photo."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    pixels = 100
    image = pdf.make_stream(zlib.compress(bytes([200, 40, 40]) * pixels * pixels), Type=Name.XObject,
                            Subtype=Name.Image, Width=pixels, Height=pixels, ColorSpace=Name.DeviceRGB,
                            BitsPerComponent=8, Filter=Name.FlateDecode)
    for n in range(47):
        content = b"BT /F1 12 Tf 0 0 1 rg 72 720 Td (Page) Tj ET"
        if n == 0:   # 100 px over 2 inches: 50 ppi
            content += b" q 144 0 0 144 72 400 cm /Im1 Do Q"
        page = pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]),
                                       Resources=Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Im1=image)),
                                       Contents=pdf.make_stream(content)))
        pdf.pages.append(page)
    pdf.save(path)
    return path


def placed_images(pdf_path):
    """(page, image stream, width and height in pt) of every image drawn, from the content streams:
    the current matrix at each `Do` (forms followed, with their /Matrix)."""
    found = []

    def walk(drawing, resources, ctm, page):
        stack = []
        for operands, op in pikepdf.parse_content_stream(drawing):
            op = str(op)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = pikepdf.Matrix(*[float(v) for v in operands]) @ ctm
            elif op == "Do":
                xobj = resources.XObject[operands[0]]
                if xobj.Subtype == "/Image":
                    found.append((page, xobj, math.hypot(ctm.a, ctm.b), math.hypot(ctm.c, ctm.d)))
                elif xobj.Subtype == "/Form":
                    matrix = pikepdf.Matrix(*[float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0])])
                    walk(xobj, xobj.get("/Resources", resources), matrix @ ctm, page)

    with pikepdf.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            walk(page, page.Resources, pikepdf.Matrix(), n)
        return [(n, (int(x.Width), int(x.Height)), w, h) for n, x, w, h in found]


def test_our_print_file_fails_only_on_the_fpo_placeholders(issue148, tmp_path):
    out, _ = issue148
    proc = run_cli("preflight", out / "print.pdf", "--json", tmp_path / "pf.json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = json.loads((tmp_path / "pf.json").read_text(encoding="utf-8"))
    assert report["rules"] == "print" and report["facts"]["claims"] == "PDF/X-4"
    assert {e["rule"] for e in report["errors"]} == {"fpo"}
    assert len(report["errors"]) >= 40 and report["warnings"] == []
    assert "[fpo] p.4: FPO placeholder (images/p04-session-opens.jpg)" in proc.stdout
    # build/<id>/preflight.json holds the same facts and findings
    built = json.loads((out / "preflight.json").read_text(encoding="utf-8"))["print.pdf"]
    assert built["errors"] == report["errors"] and built["facts"] == report["facts"]


def test_a_bad_pdf_fails_with_each_problem_named(tmp_path):
    proc = run_cli("preflight", bad_pdf(tmp_path / "bad.pdf"))
    assert proc.returncode == 1
    out = proc.stdout
    assert "not identified as PDF/X-4" in out
    assert "no GTS_PDFX output intent" in out
    assert "[boxes] p.1: no TrimBox" in out and "[boxes] p.47: no TrimBox" in out
    assert "47 pages: saddle stitching needs a multiple of 4" in out
    assert "text in DeviceRGB on pages 1–47" in out
    assert "[images] p.1: image of 100×100 px at 51×51 mm: 50 ppi, below 150" in out
    assert "font Helvetica is not embedded" in out
    assert "Trapped is not set" in out


def test_preflight_refuses_what_is_not_a_pdf(tmp_path):
    (tmp_path / "x.pdf").write_text("hello", encoding="utf-8")
    proc = run_cli("preflight", tmp_path / "x.pdf")
    assert proc.returncode == 2 and "not a readable PDF" in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("preflight", tmp_path / "missing.pdf").returncode == 2


def test_strict_build_refuses_an_issue_with_a_missing_photo(tmp_path):
    articles = {"01-first.md": """\
        ---
        title: 第一篇文章
        section: news
        images:
          - src: images/missing.jpg
            caption: 缺图
        ---

        正文一段。
        """}
    issue = write_issue(tmp_path / "2024-03", articles=articles)
    proc = run_cli("build", issue, "--out", tmp_path / "out", "--strict")
    assert proc.returncode == 1
    assert "not print-ready: print.pdf: [fpo] p." in proc.stdout and "images/missing.jpg" in proc.stdout
    assert (tmp_path / "out" / "print.pdf").exists()      # written, but not called print-ready


def test_strict_build_passes_a_complete_issue(minimal_issue, tmp_path):
    proc = run_cli("build", minimal_issue, "--out", tmp_path / "out", "--strict")
    assert proc.returncode == 0, proc.stdout
    assert "not print-ready" not in proc.stdout
    assert "preflight: print.pdf: 0 errors" in proc.stdout


def test_an_rgb_photo_is_tagged_srgb_and_its_resolution_reported(tmp_path):
    from PIL import Image
    articles = {"01-first.md": """\
        ---
        title: 第一篇文章
        section: news
        images:
          - src: images/photo.jpg
            caption: 照片
        ---

        正文一段。
        """}
    # photo_colour: rgb keeps RGB photos RGB (the default converts them to the output profile's CMYK).
    issue = write_issue(tmp_path / "2024-03", MINIMAL_YAML + "photo_colour: rgb\n", articles=articles)
    (issue / "images").mkdir()
    Image.new("RGB", (600, 400), (30, 120, 200)).save(issue / "images" / "photo.jpg", quality=90)
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((tmp_path / "out" / "preflight.json").read_text(encoding="utf-8"))["print.pdf"]
    warnings = [w["message"] for w in report["warnings"]]
    assert any("is RGB (ICC-tagged)" in w for w in warnings), warnings
    [image] = report["facts"]["images"]
    assert image["space"] == "ICCBased(3)" and image["pixels"] == [600, 400]
    # The resolution a press gets: the photo's own pixels over the size the content stream places it at.
    [(page, pixels, width, height)] = placed_images(tmp_path / "out" / "print.pdf")
    assert pixels == (600, 400) and abs(width / height - 1.5) < 0.01
    ppi = 600 / (width / 72)
    assert abs(image["ppi"] - ppi) < 1, (image["ppi"], ppi)
    low = [w for w in report["warnings"] if "ppi" in w["message"]]
    assert len(low) == (ppi < 300)
    assert all(w["page"] == page and f"at {width / MM:.0f}×{height / MM:.0f} mm: {ppi:.0f} ppi" in w["message"]
               for w in low)
    for name in ("print.pdf", "archive.pdf"):
        with pikepdf.open(tmp_path / "out" / name) as pdf:
            [xobj] = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
            assert xobj.ColorSpace[0] == "/ICCBased" and int(xobj.ColorSpace[1].N) == 3
            assert xobj.Interpolate is False
