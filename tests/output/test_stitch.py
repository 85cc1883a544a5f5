"""The issue's PDF stitched from part PDFs that WeasyPrint really drew: as good as one drawing.

Four small parts (cover, contents, a two-page article, back cover) are laid out from HTML with
the declared fonts (serif and sans, regular and bold; different characters in each part), drawn
with pdf_tags=True, and stitched. What is checked is read back from the stitched bytes only.
"""
import io
import re
import subprocess

import pikepdf
import pypdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from pikepdf import Name

from periodical import icc
from periodical.fonts import FONTS
from periodical.output.stitch import stitch
from periodical.preflight import pdffonts, pdfscan
from periodical.render import parts as drawing

FACES = [("Noto Serif SC", 400, "NotoSerifSC-Regular.otf"), ("Noto Serif SC", 700, "NotoSerifSC-Bold.otf"),
         ("Noto Sans SC", 400, "NotoSansSC-Regular.otf"), ("Noto Sans SC", 700, "NotoSansSC-Bold.otf")]
FONT_FILES = [FONTS / file for _, _, file in FACES]
# The printing condition, as the layouts declare it: every part carries the profile.
PROFILE = (f"@color-profile device-cmyk {{ src: url({icc.DEFAULT_CMYK.as_uri()}); "
           "components: cyan, magenta, yellow, black }") if icc.DEFAULT_CMYK.is_file() else ""
STYLE = "".join(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url({(FONTS / file).as_uri()}) }}\n'
                for family, weight, file in FACES) + PROFILE + """
@page { size: 120mm 160mm; bleed: 3mm; margin: 14mm 12mm;
        @top-center { content: "测试月刊 页眉"; font-family: "Noto Sans SC"; font-size: 8pt }
        @bottom-center { content: counter(page); font-family: "Noto Sans SC"; font-size: 8pt } }
body { font-family: "Noto Serif SC"; font-size: 11pt; color: device-cmyk(0 0 0 1) }
h1 { font-family: "Noto Sans SC"; font-weight: 700; font-size: 20pt; color: device-cmyk(0 1 0.8 0.05) }
.sans { font-family: "Noto Sans SC" }
.veil { opacity: 0.5; background: device-cmyk(0 0.08 0.05 0) }
th, td { border: 0.5pt solid device-cmyk(0 0 0 0.6); padding: 2pt }
"""
PARTS = [
    # cover
    """<h1 id="cover">中华人民共和国</h1><p class="veil">封面故事：春节前夕</p>
       <svg width="60" height="30"><rect width="60" height="30" fill="device-cmyk(0 0 0 0.3)"/></svg>""",
    # contents: links to anchors of later parts, drawn by the build as #name URIs
    """<h1 id="contents">目录</h1>
       <p><a href="#art">第一篇文章 委员走访</a> <b>粗体</b></p>
       <p><a href="#back">封底 启事</a> <a href="#nowhere">不存在</a></p>
       <p class="sans">黑体字 abc 123</p>""",
    # an article of two pages, with its own internal link and a table with headers
    """<h1 id="art">第一篇文章</h1>
       <p>中华人民共和国成立了。委员们走访慰问了困难群众。<a href="#contents">回目录</a> <a href="#art2">下页</a></p>
       <table><tr><th>地区</th><th>人数</th></tr><tr><td>哈尔滨</td><td>五百</td></tr></table>
       <p id="art2" style="break-before: page"><b>第二页</b> 人民 <span class="sans">黑龙江</span>
       <a href="https://example.com/">外链</a></p>""",
    # back cover: an anchor name the contents part has too (the first part's wins)
    """<h1 id="back">封底</h1><p id="contents">启事：欢迎投稿 <b>编辑部</b></p>""",
]


def draw(body):
    """A part as the build draws it: laid out alone, links to other parts' anchors as #name URIs."""
    import weasyprint
    html = f"<html lang='zh-CN'><head><style>{STYLE}</style></head><body>{body}</body></html>"
    document = weasyprint.HTML(string=html).render()
    drawing._unresolved_links_as_names(document.pages)
    return document.write_pdf(**drawing.DRAW)


@pytest.fixture(scope="module")
def parts():
    return [draw(body) for body in PARTS]


@pytest.fixture(scope="module")
def stitched(parts):
    return stitch(parts, FONT_FILES)


@pytest.fixture(scope="module")
def pdf(stitched):
    with pikepdf.open(io.BytesIO(stitched)) as doc:
        yield doc


def page_counts(parts):
    counts = []
    for data in parts:
        with pikepdf.open(io.BytesIO(data)) as part:
            counts.append(len(part.pages))
    return counts


def first_pages(parts):
    """Index in the stitched file of each part's first page."""
    counts = page_counts(parts)
    return [sum(counts[:i]) for i in range(len(counts))]


def test_pages_of_all_parts_in_order_with_their_boxes(parts, pdf):
    assert page_counts(parts) == [1, 1, 2, 1]
    assert len(pdf.pages) == 5
    n = 0
    for data in parts:
        with pikepdf.open(io.BytesIO(data)) as part:
            for page in part.pages:
                for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
                    assert list(pdf.pages[n].obj[box]) == list(page.obj[box])
                n += 1


def test_each_page_has_its_parts_pixels_and_text(parts, stitched):
    issue = pypdfium2.PdfDocument(stitched)
    try:
        n = 0
        for data in parts:
            part = pypdfium2.PdfDocument(data)
            try:
                for i in range(len(part)):
                    ours, theirs = issue[n], part[i]
                    assert ours.get_textpage().get_text_range() == theirs.get_textpage().get_text_range(), n
                    a, b = ours.render(scale=2).to_pil(), theirs.render(scale=2).to_pil()
                    assert a.size == b.size and a.tobytes() == b.tobytes(), f"page {n + 1} differs from its part"
                    n += 1
            finally:
                part.close()
    finally:
        issue.close()


def test_one_font_per_face(pdf):
    type0 = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == Name.Type0]
    programs = {o.DescendantFonts[0].FontDescriptor.FontFile3.objgen for o in type0}
    names = sorted(str(o.BaseFont).partition("+")[2] for o in type0)
    assert names == ["Noto-Sans-SC", "Noto-Sans-SC-Bold", "Noto-Serif-SC", "Noto-Serif-SC-Bold"]
    assert len(programs) == 4
    descriptors = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == Name.FontDescriptor]
    assert len(descriptors) == 4
    for page in pdf.pages:            # every page draws with the issue's fonts
        assert {f.objgen for f in page.Resources.Font.values()} <= {o.objgen for o in type0}


def test_pdffonts_lists_each_face_once(stitched, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(stitched)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(rows) == 4
    assert all(" yes yes yes " in row and "Identity-H" in row for row in rows)


def shown(pdf):
    """font objgen → CIDs shown on any page (Identity-H: two bytes a code)."""
    used = {}
    for page in pdf.pages:
        fonts = page.Resources.Font
        font = None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "Tf":
                font = fonts[operands[0]]
            elif str(op) in ("Tj", "TJ"):
                strings = [o for o in operands[0] if isinstance(o, pikepdf.String)] if str(op) == "TJ" else operands
                codes = used.setdefault(font.objgen, set())
                for s in strings:
                    raw = bytes(s)
                    codes.update(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2))
    return used


def test_every_glyph_shown_has_the_programs_width(pdf):
    for objgen, cids in shown(pdf).items():
        font = pdf.get_object(objgen)
        cid_font = font.DescendantFonts[0]
        declared = pdffonts._w_array(cid_font)
        program = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile3.read_bytes()))
        upem, hmtx, order = program["head"].unitsPerEm, program["hmtx"].metrics, program.getGlyphOrder()
        assert 0 not in cids                                            # no .notdef
        for cid in cids:
            assert cid in declared, (font.BaseFont, cid)
            glyph = f"cid{cid:05d}"
            assert order[cid] == glyph                                  # CID n is glyph n
            assert declared[cid] == hmtx[glyph][0] * 1000 / upem, (font.BaseFont, cid)


def test_the_preflight_finds_no_font_fault(pdf):
    fonts = pdffonts.survey(pdfscan.scan(pdf))
    assert len(fonts) == 4
    for font in fonts.values():
        assert font.embedded and not font.width_mismatches() and not font.notdef_codes() and not font.unmapped_codes()


def test_names_of_every_part_lead_to_their_page(parts, stitched):
    first = first_pages(parts)
    reader = pypdf.PdfReader(io.BytesIO(stitched))
    pages = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    assert pages == {"cover": first[0], "contents": first[1], "art": first[2], "art2": first[2] + 1, "back": first[3]}
    with pikepdf.open(io.BytesIO(stitched)) as doc:
        keys = [bytes(k) for k in doc.Root.Names.Dests.Names[::2]]
        assert keys == sorted(keys)


def links(doc, page):
    return [a for a in doc.pages[page].obj.get("/Annots", ()) if a.Subtype == Name.Link]


def test_links_to_other_parts_become_named_destinations(parts, stitched, pdf):
    first = first_pages(parts)
    reader = pypdf.PdfReader(io.BytesIO(stitched))
    contents = links(pdf, first[1])
    assert [str(a.Dest) for a in contents] == ["art", "back"]           # #nowhere is dropped, as WeasyPrint drops it
    assert all("/A" not in a for a in contents)
    named = reader.named_destinations
    assert [reader.get_destination_page_number(named[str(a.Dest)]) for a in contents] == [first[2], first[3]]
    article = links(pdf, first[2])
    assert [str(a.get("/Dest", "")) for a in article] == ["contents", "art2"]
    assert reader.get_destination_page_number(named["contents"]) == first[1]     # the contents part's anchor
    assert str(links(pdf, first[2] + 1)[0].A.URI) == "https://example.com/"     # a real URI stays


def struct_elements(root):
    stack, found = list(root.K), []
    while stack:
        elem = stack.pop()
        if isinstance(elem, pikepdf.Dictionary) and "/S" in elem:
            found.append(elem)
            k = elem.get("/K")
            stack.extend(k if isinstance(k, pikepdf.Array) else [k] if k is not None else [])
    return found


def parent_tree(root):
    nums = root.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_one_structure_tree_holds_every_part(parts, pdf):
    root = pdf.Root.StructTreeRoot
    assert len(root.K) == 1 and root.K[0].S == Name.Document and root.K[0].P.objgen == root.objgen
    heads = [e for e in root.K[0].K if e.S == Name.H1]
    assert len(heads) == len(parts)                                     # every part's title, in order
    assert all(h.Pg.objgen == pdf.pages[p].obj.objgen for h, p in zip(heads, first_pages(parts)))
    for elem in struct_elements(root):
        for kid in elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                assert kid.P.objgen == elem.objgen                      # every parent pointer right
    assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "zh-CN"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert len(root.Namespaces) == 1 and root.K[0].NS.objgen == root.Namespaces[0].objgen


def count(doc, kind):
    return sum(1 for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == kind)


def test_nothing_is_copied_twice_and_every_page_reference_is_a_page_of_the_issue(parts, pdf):
    pages = {page.obj.objgen for page in pdf.pages}
    assert count(pdf, Name.Page) == len(pdf.pages)                      # no page outside the page tree
    refs = [o.Pg for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/Pg" in o]   # elements, OBJR, MCR
    assert refs and all(pg.objgen in pages for pg in refs)
    drawn = []
    for data in parts:
        with pikepdf.open(io.BytesIO(data)) as part:
            drawn.append((count(part, Name.StructElem), count(part, Name.Annot), len(part.objects)))
    # One Document for all the parts; one link went (#nowhere, which no part has)
    assert count(pdf, Name.StructElem) == sum(e for e, _, _ in drawn) - len(parts) + 1
    assert count(pdf, Name.Annot) == sum(a for _, a, _ in drawn) - 1
    assert len(pdf.objects) < sum(n for _, _, n in drawn)


def marked(owner):
    """MCIDs of the marked content a page draws, in its stream and in the forms it draws (WeasyPrint
    numbers a form's marked content on the page's count: the form has no StructParents)."""
    mcids = []
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    for operands, op in pikepdf.parse_content_stream(owner):
        if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            mcids.append(int(operands[1].MCID))
        elif str(op) == "Do" and xobjects[operands[0]].get("/Subtype") == Name.Form:
            mcids += marked(xobjects[operands[0]])
    return mcids


def test_every_marked_content_is_found_through_the_parent_tree(pdf):
    root = pdf.Root.StructTreeRoot
    tree = parent_tree(root)
    keys = [int(p.obj.StructParents) for p in pdf.pages]
    keys += [int(a.StructParent) for p in pdf.pages for a in p.obj.get("/Annots", ())]
    assert len(keys) == len(set(keys)) and set(keys) == set(tree) and int(root.ParentTreeNextKey) > max(keys)
    for page in pdf.pages:
        mcids = marked(page.obj)
        assert mcids and len(mcids) == len(set(mcids))
        elements = tree[int(page.obj.StructParents)]
        for mcid in mcids:
            elem = elements[mcid]
            assert elem.Pg.objgen == page.obj.objgen
            assert mcid in [k for k in (elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]) if isinstance(k, int)]
            top = elem                                                  # margin boxes too: up to the Document
            while top.get("/S") != Name.Document:
                top = top.P
            assert top.objgen == root.K[0].objgen
        for annot in page.obj.get("/Annots", ()):
            elem = tree[int(annot.StructParent)]
            assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None and k.Obj.objgen == annot.objgen
                       for k in elem.K)


def test_table_header_ids_stay_unique_and_the_cells_find_theirs(pdf):
    elements = struct_elements(pdf.Root.StructTreeRoot)
    ids = [str(e.ID) for e in elements if "/ID" in e]
    assert ids and len(ids) == len(set(ids))
    for cell in (e for e in elements if e.S == Name.TD):
        assert all(str(h) in ids for h in cell.A.Headers)


def test_one_output_profile(pdf):
    profiles = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/N" in o and o.get("/N") == 4]
    assert len(profiles) == 1
    assert pdf.Root.OutputIntents[0].DestOutputProfile.objgen == profiles[0].objgen


def test_qpdf_finds_the_file_sound(stitched, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(stitched)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_same_parts_same_bytes(parts, stitched):
    assert stitch(parts, FONT_FILES) == stitched
    assert not re.search(rb"/(CreationDate|ModDate)", stitched)


def test_a_font_without_its_source_is_left_as_drawn(parts):
    serif = [FONTS / "NotoSerifSC-Regular.otf"]
    with pikepdf.open(io.BytesIO(stitch(parts, serif))) as doc:
        type0 = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == Name.Type0]
        names = [str(o.BaseFont).partition("+")[2] for o in type0]
        assert names.count("Noto-Serif-SC") == 1
        assert names.count("Noto-Sans-SC-Bold") == len(parts)           # every part's own, untouched


def test_the_same_part_twice_keeps_ids_and_keys_apart(parts):
    article = parts[2]
    with pikepdf.open(io.BytesIO(stitch([article, article], FONT_FILES))) as doc:
        assert len(doc.pages) == 4
        root = doc.Root.StructTreeRoot
        ids = [str(e.ID) for e in struct_elements(root) if "/ID" in e]
        assert len(ids) == 4 and len(set(ids)) == 4
        assert sorted(str(k) for k in root.IDTree.Names[::2]) == sorted(ids)
        keys = [int(p.obj.StructParents) for p in doc.pages] + \
               [int(a.StructParent) for p in doc.pages for a in p.obj.get("/Annots", ())]
        assert len(keys) == len(set(keys)) == len(parent_tree(root))
        names = {str(k): v for k, v in zip(doc.Root.Names.Dests.Names[::2], doc.Root.Names.Dests.Names[1::2])}
        assert names["art"][0].objgen == doc.pages[0].obj.objgen        # the first of the two
        assert len({o.objgen for o in doc.objects if isinstance(o, pikepdf.Dictionary)
                    and o.get("/Subtype") == Name.Type0}) == 4


def serif(doc):
    return next(f for f in doc.pages[0].Resources.Font.values() if str(f.BaseFont).endswith("+Noto-Serif-SC"))


def test_parts_that_disagree_on_a_width_keep_their_own_font(parts):
    """A width is what the layout placed the glyphs by: one font cannot serve two parts that differ."""
    with pikepdf.open(io.BytesIO(parts[1])) as contents:
        theirs = pdffonts._w_array(serif(contents).DescendantFonts[0])
    with pikepdf.open(io.BytesIO(parts[2])) as article:
        cid_font = serif(article).DescendantFonts[0]
        widths = pdffonts._w_array(cid_font)
        shared = min(cid for cid in set(widths) & set(theirs) if cid > 1)     # a glyph both parts show
        widths[shared] += 5
        cid_font.W = pikepdf.Array([x for cid in sorted(widths) for x in (cid, pikepdf.Array([int(widths[cid])]))])
        changed = io.BytesIO()
        article.save(changed)
    with pikepdf.open(io.BytesIO(stitch([parts[1], changed.getvalue()], FONT_FILES))) as doc:
        names = [str(o.BaseFont).partition("+")[2] for o in doc.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == Name.Type0]
        assert names.count("Noto-Serif-SC") == 2 and names.count("Noto-Sans-SC-Bold") == 1
