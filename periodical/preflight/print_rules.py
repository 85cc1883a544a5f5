"""The print house's rules: what a PDF must be for 哈尔滨报达印务 to print it unattended.

PDF/X-4 identification with a CMYK output intent, Trapped set, TrimBox and 3 mm of bleed on
every page, a page count for saddle stitching, embedded fonts without .notdef glyphs, no
device RGB, text in K 100, images of at least 300 ppi at their placed size (150 is the floor),
no annotations over the printed area, and no FPO placeholders.
"""
import re

import pikepdf

from periodical import icc
from periodical.preflight import pdffonts

MM = 72 / 25.4
MIN_BLEED_MM = 3.0
PPI_ERROR, PPI_WARNING = 150, 300
ANNOTATIONS_ALLOWED_IN_BLEED = ("/PrinterMark", "/TrapNet")


def check(pdf, data, scans, fonts, facts, findings):
    """The print house's rules: PDF/X-4 with a CMYK output intent, bleed, embedded fonts, CMYK colour."""
    if facts["claims"] != "PDF/X-4":
        findings.error("pdfx", f"not identified as PDF/X-4 (XMP pdfxid:GTS_PDFXVersion is {facts['claims'] or 'missing'})")
    trapped = pdf.trailer.get("/Info", {}).get("/Trapped")
    if trapped not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
        findings.error("pdfx", "Trapped is not set to True or False in the document information")
    output_intents(pdf, "/GTS_PDFX", findings, require_cmyk=True)
    _boxes(pdf, findings)
    if facts["pages"] % 4:
        findings.error("pages", f"{facts['pages']} pages: saddle stitching needs a multiple of 4")
    fonts_embedded(fonts, findings)
    glyphs(fonts, findings)
    _colour(scans, findings)
    _images(scans, findings)
    _annotations_in_bleed(pdf, findings)
    if pdf.is_encrypted:
        findings.error("encryption", "the file is encrypted")
    _fpo(scans, fonts, findings)


def fonts_embedded(fonts, findings):
    for font in fonts.values():
        if not font.embedded:
            findings.error("fonts", f"font {font.name} is not embedded (pages {pages(font.pages)})")


def glyphs(fonts, findings):
    for font in fonts.values():
        missing = font.notdef_codes()
        if missing:
            findings.error("glyphs", f"font {font.name}: {len(missing)} character(s) printed as .notdef "
                           f"(a blank box) on pages {pages(font.pages)}")


def output_intents(pdf, subtype, findings, require_cmyk):
    intents = [oi for oi in pdf.Root.get("/OutputIntents", ()) if oi.get("/S") == pikepdf.Name(subtype)]
    if not intents:
        findings.error("output-intent", f"no {subtype[1:]} output intent")
        return
    for oi in intents:
        profile = oi.get("/DestOutputProfile")
        if profile is None:
            findings.error("output-intent", "the output intent has no embedded ICC profile (DestOutputProfile)")
            continue
        try:
            facts = icc.read(bytes(profile.read_bytes()))
        except ValueError as e:
            findings.error("output-intent", f"the output intent's profile is unreadable: {e}")
            continue
        n = int(profile.get("/N", 0))
        if n != facts.components:
            findings.error("output-intent", f"the profile is {facts.color_space} ({facts.components} components) "
                           f"but its stream says /N {n}")
        if require_cmyk and facts.color_space != "CMYK":
            findings.error("output-intent", f"the output intent is {facts.color_space}, not CMYK")
        if facts.device_class not in ("prtr", "mntr"):
            findings.error("output-intent", f"the output intent's profile is a '{facts.device_class}' profile, "
                           "not an output (prtr) or display (mntr) profile")
        if not str(oi.get("/OutputConditionIdentifier", "")):
            findings.error("output-intent", "the output intent has no OutputConditionIdentifier")


def _boxes(pdf, findings):
    trims = set()
    for n, page in enumerate(pdf.pages, 1):
        media = box(page.obj.get("/MediaBox"))
        trim = box(page.obj.get("/TrimBox"))
        bleed = box(page.obj.get("/BleedBox"))
        if trim is None:
            findings.error("boxes", "no TrimBox: the press cannot know where to cut", n)
            continue
        trims.add(tuple(round((trim[i + 2] - trim[i]) / MM, 1) for i in (0, 1)))
        if bleed is None:
            findings.error("boxes", "no BleedBox", n)
            continue
        margins = {"left": trim[0] - bleed[0], "bottom": trim[1] - bleed[1],
                   "right": bleed[2] - trim[2], "top": bleed[3] - trim[3]}
        short = {k: v / MM for k, v in margins.items() if v / MM < MIN_BLEED_MM - 0.05}
        if short:
            findings.error("boxes", "bleed too small: " + ", ".join(f"{v:.1f} mm {k}" for k, v in short.items())
                           + f" (needs {MIN_BLEED_MM:g} mm)", n)
        if media is None or not contains(media, bleed):
            findings.error("boxes", "the MediaBox does not hold the BleedBox", n)
    if len(trims) > 1:
        findings.error("boxes", "pages have different trim sizes: " + ", ".join(f"{w}×{h} mm" for w, h in sorted(trims)))


def declared_trim(pdf, trim, findings):
    """Every page is cut to `trim`, (width, height) in mm: its TrimBox, or its MediaBox if it has none."""
    wrong = {}
    for n, page in enumerate(pdf.pages, 1):
        cut = box(page.obj.get("/TrimBox")) or box(page.obj.get("/MediaBox"))
        size = tuple(round((cut[i + 2] - cut[i]) / MM, 1) for i in (0, 1)) if cut else None
        # Compared in whole tenths of a millimetre, so that a tenth off is allowed whatever the float.
        if size is None or any(abs(round(a * 10) - round(b * 10)) > 1 for a, b in zip(size, trim)):
            wrong.setdefault(size, []).append(n)
    for size, numbers in wrong.items():
        found = "×".join(map(str, size)) + " mm" if size else "no size"
        findings.error("boxes", f"{found} on page{'s' * (len(numbers) > 1)} {pages(numbers)}, but the trim is {trim[0]:g}×{trim[1]:g} mm")


def _colour(scans, findings):
    rgb_pages = sorted({p.number for p in scans if p.spaces.get("DeviceRGB")})
    text_rgb = sorted({t.page for p in scans for t in p.text if t.fill[0] == "DeviceRGB"})
    if text_rgb:
        findings.error("colour", f"text in DeviceRGB on pages {pages(text_rgb)}")
    if rgb_pages:
        findings.error("colour", f"DeviceRGB used on pages {pages(rgb_pages)}: "
                       "RGB must be converted or tagged with an ICC profile")
    rich = sorted({t.page for p in scans for t in p.text if _rich_black(t.fill)})
    if rich:
        findings.warning("colour", f"text in four-colour black (C, M and Y under K) on pages {pages(rich)}: "
                         "use K 100 only")


def _rich_black(fill):
    space, c = fill
    if space != "DeviceCMYK" or len(c) != 4:
        return False
    cyan, magenta, yellow, black = c
    return black >= 0.9 and min(cyan, magenta, yellow) > 0


def _images(scans, findings):
    for page in scans:
        for img in page.images:
            what = (f"image of {img.pixels[0]}×{img.pixels[1]} px at "
                    f"{img.placed[0] / MM:.0f}×{img.placed[1] / MM:.0f} mm")
            if img.ppi < PPI_ERROR:
                findings.error("images", f"{what}: {img.ppi:.0f} ppi, below {PPI_ERROR} ({PPI_WARNING} wanted)",
                               page.number)
            elif img.ppi < PPI_WARNING:
                findings.warning("images", f"{what}: {img.ppi:.0f} ppi, {PPI_WARNING} wanted", page.number)
            if img.space in ("ICCBased(3)", "Indexed(ICCBased(3))"):
                findings.warning("images", f"{what} is RGB (ICC-tagged): the press converts it to the "
                                 "output intent", page.number)


def _annotations_in_bleed(pdf, findings):
    for n, page in enumerate(pdf.pages, 1):
        bleed = box(page.obj.get("/BleedBox")) or box(page.obj.get("/TrimBox"))
        for annot in page.obj.get("/Annots", ()):
            rect = box(annot.get("/Rect"))
            if bleed and rect and annot.get("/Subtype") not in ANNOTATIONS_ALLOWED_IN_BLEED and overlaps(bleed, rect):
                findings.error("annotations", f"{str(annot.get('/Subtype'))[1:]} annotation inside the bleed box", n)


def _fpo(scans, fonts, findings):
    """FPO placeholders are found by their printed label, as a prepress operator finds them."""
    for page in scans:
        text = "\n".join(pdffonts.decode(run, fonts) for run in page.text)
        for m in re.finditer(r"FPO(?:\s*图片待补)?\s*(\S*)", text):
            name = m.group(1)                 # what follows the label: a file name, if it looks like one
            what = f" ({name})" if "/" in name or "." in name else ""
            findings.error("fpo", f"FPO placeholder{what}: the photo is missing", page.number)


def box(value):
    return [float(v) for v in value] if value is not None and len(value) == 4 else None


def contains(outer, inner, tol=0.01):
    return (outer[0] <= inner[0] + tol and outer[1] <= inner[1] + tol and
            outer[2] >= inner[2] - tol and outer[3] >= inner[3] - tol)


def overlaps(a, b):
    x0, y0, x1, y1 = min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])
    return x0 < a[2] and x1 > a[0] and y0 < a[3] and y1 > a[1]


def pages(numbers):
    """1, 2, 3, 7 → '1–3, 7'."""
    numbers, out = sorted(set(numbers)), []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in out)
