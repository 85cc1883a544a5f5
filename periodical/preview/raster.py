"""Page images of a PDF, rasterised by pdfium and cached by what each page draws.

A page's content key is a hash of everything the page draws: its content stream and the fonts,
photos, patterns and forms that stream names (WeasyPrint shares one resource dictionary between
all pages, so only the names a page uses count). An image is named by a hash of its pixels, so a
changed name means a changed picture. The previous build's content key → image map is the cache:
a rebuild rasterises only the pages whose content key is new. An issue's page is also known by
its part's key and its place in the part (part_keys), which needs no reading of the PDF.
"""
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pypdfium2

from periodical.render import render

SCALE = 2.0                  # 144 dpi: 9 pt body text is 18 px high in the large view
THUMB_WIDTH = 420            # px; a spread shows a page about half as wide, sharp on HiDPI screens
RASTER = f"pdfium {pypdfium2.PDFIUM_INFO.build} scale {SCALE} thumb {THUMB_WIDTH} trim as media"
# Entries that do not change what a page looks like (links, the page tree, tagging, text extraction);
# /Resources is hashed only for the names the content uses.
NOT_DRAWN = frozenset({"/Parent", "/Annots", "/StructParents", "/Length", "/Resources", "/ToUnicode"})
# A font as a page draws it: which face (the name without its subset tag) and the glyphs the page's
# own content names. Left out: what changes with the glyphs *other* pages use, because the PDF's
# font subsets hold every glyph of the issue (the program, widths and maps of the subset).
# A different source font is a different `salt` (preview.py passes the fonts' identity).
FONT_SUBSET = frozenset({"/FontFile", "/FontFile2", "/FontFile3", "/W", "/W2", "/Widths", "/FirstChar",
                         "/LastChar", "/CIDToGIDMap", "/CIDSet", "/CharSet", "/FontBBox"})
FONT_TYPES = frozenset({"/Font", "/FontDescriptor"})
# Content-stream operators that name a resource, and the resource category each names.
USES = {"Tf": "/Font", "Do": "/XObject", "gs": "/ExtGState", "sh": "/Shading", "cs": "/ColorSpace",
        "CS": "/ColorSpace", "scn": "/Pattern", "SCN": "/Pattern", "BDC": "/Properties", "DP": "/Properties"}


# A draft's large images, encoded while the build goes on (the spreads show the thumbnails):
# image name → its pending write, which `ready` waits for.
_LATER = ThreadPoolExecutor(max_workers=1)
_pending = {}


def images(pdf_path, folder, known, salt=b"", parts=None, later=False):
    """Image names for every page of pdf_path, rendering into folder those `known` lacks.

    known: key → image name from the previous build. parts: the parts (render.Rendered.parts)
    the PDF's pages are drawn from, if it is the issue's: a page of a part an earlier build
    drew is known by the part's key and its place in it (part_keys), and the PDF is read only
    for the other pages' content keys. later: return once the thumbnails are written, the large
    images following (`ready`). Returns (names, number rendered, key → name of this build).
    """
    folder.mkdir(parents=True, exist_ok=True)
    by_part = part_keys(parts, salt) if parts else None
    count = len(by_part) if by_part else _page_count(pdf_path)
    names = [_known(known, folder, by_part[n]) if by_part else None for n in range(count)]
    unknown = [n for n in range(count) if names[n] is None]
    by_content = dict(zip(unknown, content_keys(pdf_path, salt, unknown))) if unknown else {}
    for n, key in by_content.items():
        names[n] = _known(known, folder, key)
    todo = [n for n, name in enumerate(names) if name is None]
    if todo:
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        # pdfium renders here, one page at a time (it is not thread-safe); PNG encoding, the
        # slower half, runs beside it in threads (Pillow releases the GIL while it compresses).
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            try:
                saved = []
                for n in todo:
                    page = pdf[n]                       # loading a page costs as much as drawing it
                    image, thumb = _render(page, SCALE), _render(page, THUMB_WIDTH / _width(page))
                    names[n] = hashlib.sha256(f"{image.size}".encode() + image.tobytes()).hexdigest()[:20]
                    if later:
                        saved.append(pool.submit(_save_thumb, thumb, folder / names[n]))
                        job = _pending[names[n]] = _LATER.submit(_save, image, thumb, folder / names[n])
                        job.add_done_callback(lambda _, name=names[n]: _pending.pop(name, None))
                    else:
                        saved.append(pool.submit(_save, image, thumb, folder / names[n]))
                    # Drawing outruns encoding: wait for the oldest, so that a few pages' pixels
                    # wait in memory, not the (6 MB a page; 4 GB at 700 pages).
                    while len(saved) > 2 * (os.cpu_count() or 2):
                        saved.pop(0).result()
                for job in saved:
                    job.result()
            finally:
                pdf.close()
    found = {key: names[n] for n, key in by_content.items()}
    found.update(zip(by_part or (), names))
    return names, len(todo), found


def _known(known, folder, key):
    name = known.get(key)
    return name if name and (folder / f"{name}.png").exists() else None


def _page_count(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        return len(pdf.pages)


def part_keys(parts, salt=b""):
    """A key per page of the issue from its part's key and its place in the part.

    A part's key names its PDF's bytes (render/parts.py), and the issue's page copies the part's
    page as it is (output/stitch.py): within its trim box, all the preview shows, it draws the same."""
    return [hashlib.sha256(RASTER.encode() + salt + f"part {part.key} {n}".encode()).hexdigest()[:20]
            for part in parts for n in range(len(part.pages))]


def drawn(rendered, folder):
    """Image names of the pages of the parts drawn anew by this build (numbers from 1),
    rasterised from the parts' own PDFs into folder: the preview shows an edit before the
    issue's PDFs are stitched and written, and before the large images are (`ready`)."""
    names, number = {}, 1
    for part in rendered.parts:
        if part.new:
            names.update(zip(range(number, number + len(part.pages)), images(part.pdf, folder, {}, later=True)[0]))
        number += len(part.pages)
    return names


def ready(name, timeout=60):
    """Wait until the large image `name` of a draft is written, if it is being written."""
    job = _pending.get(name)
    if job is not None:
        job.result(timeout)


def content_keys(pdf_path, salt=b"", numbers=None):
    """A key per page (or per page of `numbers`, from 0) from everything the page draws; equal
    keys draw equal pages.

    salt: what else the pictures depend on (the source fonts, whose subsets are not hashed).
    """
    memo = {}
    with pikepdf.open(pdf_path) as pdf:
        numbers = range(len(pdf.pages)) if numbers is None else numbers
        return [hashlib.sha256(RASTER.encode() + salt + _digest(pdf.pages[n].obj, memo)).hexdigest()[:20]
                for n in numbers]


def _digest(obj, memo):
    """Hash a PDF object by content, following references (object numbers shift between builds)."""
    if not isinstance(obj, pikepdf.Object):
        return repr(obj).encode()            # numbers and booleans arrive as Python values
    if isinstance(obj, (pikepdf.Name, pikepdf.String)):
        return obj.unparse()
    key = obj.objgen if obj.is_indirect else None
    if key in memo:
        return memo[key]
    if key:
        memo[key] = b"cycle"
    h = hashlib.sha256()
    if isinstance(obj, pikepdf.Stream):
        h.update(_digest(obj.stream_dict, memo) + obj.read_raw_bytes())
        if "/Resources" in obj.stream_dict:              # a form or a tiling pattern draws too
            h.update(_used_resources(obj, obj.stream_dict.Resources, memo))
    elif isinstance(obj, pikepdf.Dictionary):
        font = obj.get("/Type") in FONT_TYPES
        for name in sorted(set(obj.keys()) - NOT_DRAWN - (FONT_SUBSET if font else frozenset())):
            value = obj[name]
            if font and name in ("/BaseFont", "/FontName"):
                value = pikepdf.Name("/" + str(value)[1:].split("+")[-1])     # ABCDEF+NotoSerifSC → NotoSerifSC
            h.update(name.encode() + _digest(value, memo))
        if obj.get("/Type") == "/Page":
            h.update(_used_resources(pikepdf.Page(obj), obj.Resources, memo))
    elif isinstance(obj, pikepdf.Array):
        h.update(b"[" + b"".join(_digest(v, memo) for v in obj))
    else:
        h.update(obj.unparse())
    if key:
        memo[key] = h.digest()
    return h.digest()


def _used_resources(drawing, resources, memo):
    """Hash of the resources a page or form's content names, by name."""
    used = set()
    for operands, operator in pikepdf.parse_content_stream(drawing):
        category = USES.get(str(operator))
        name = next((o for o in reversed(operands) if isinstance(o, pikepdf.Name)), None)
        if category and name is not None:
            used.add((category, str(name)))
    h = hashlib.sha256()
    for category, name in sorted(used):
        value = (resources.get(category) or {}).get(name)
        h.update(f"{category}{name}".encode() + (b"-" if value is None else _digest(value, memo)))
    return h.digest()


def _width(page):
    """Width of the page as the reader sees it: its trim box's (the PDF may carry bleed and marks)."""
    trim = page.get_trimbox()
    return trim[2] - trim[0]


def _render(page, scale):
    """The page cut to its trim box (the PDF may carry bleed), as a Pillow image.

    The trim box becomes the page's boxes, so its corner is the first pixel's whatever margin
    the file has around it: a page drawn alone (a draft) rasterises to print.pdf's pixels.
    """
    trim = page.get_trimbox()
    page.set_mediabox(*trim)
    page.set_cropbox(*trim)
    return page.render(scale=scale).to_pil()


def _save(image, thumb, stem):
    """Write a page's image and thumbnail, unless an earlier page already looked the same."""
    if not stem.with_suffix(".png").exists():
        _save_thumb(thumb, stem)
        _save_atomic(image, stem.with_suffix(".png"))       # last: its presence means both exist


def _save_thumb(thumb, stem):
    if not stem.with_suffix(".thumb.png").exists():
        _save_atomic(thumb, stem.with_suffix(".thumb.png"))


def _save_atomic(image, target):
    # Level 3 compresses pages as small as level 6 does, twice as fast.
    render.atomic_write(target, lambda f: image.save(f, format="PNG", compress_level=3))
