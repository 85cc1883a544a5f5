"""Read a Word manuscript (.docx) into paragraphs and photos, and list what cannot be carried.

python-docx (pinned in requirements.txt) opens the package and resolves what a paragraph looks
like: its style, bold, size and alignment through the style chain, and the image parts its
pictures point to. Its `Paragraph.text` skips inserted text (w:ins), content controls and text
boxes, so the text itself comes from our own walk over each paragraph's XML, which also finds
what the article cannot hold: tables with merged or nested cells (a plain grid becomes a pipe
table), text boxes, footnotes, comments, tracked changes, OLE objects, charts, WMF/EMF pictures
and WPS content with no fallback.

Before python-docx reads a byte, the file is checked: a .doc, a .wps, an encrypted (password)
file, RTF, a renamed non-Word file, a damaged zip or a zip bomb is refused with what it is and
what to do. Photos are refused by the loader's pixel limit before they are decoded.
"""
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree
from PIL import Image as PILImage

from periodical.errors import InputError, Problem, rel
from periodical.model import images

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
W = "{%s}" % NS["w"]

# Zip bombs: a manuscript with fifty photos is well under these; a bomb is far over.
MAX_UNCOMPRESSED = 400_000_000      # bytes, all entries together
MAX_RATIO = 100                     # uncompressed / compressed, for any entry over 1 MB
MAX_ENTRIES = 10_000

PICTURE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
CONVERTED_TYPES = {"image/gif", "image/bmp", "image/tiff", "image/webp"}    # saved as PNG
VECTOR_TYPES = {"image/x-wmf", "image/x-emf", "image/wmf", "image/emf", "image/x-pict"}


@dataclass
class Para:
    """One paragraph of text (or the text beside a photo in the same Word paragraph)."""
    n: int                    # the manuscript paragraph it comes from, counting non-empty ones
    text: str                 # as typed; a soft return (Shift+Enter) is "\n"
    style: str                # the style's name ("Normal", "Heading 1", "标题 1" …)
    heading: int | None       # 0 for a Title style, N for Heading N / outline level N, else None
    subtitle: bool            # styled as a subtitle
    bold: bool                # every visible character bold
    centred: bool
    size: float | None        # the largest font size of its text, in points
    beside_photo: bool = False


@dataclass
class Picture:
    n: int
    blob: bytes
    ext: str                  # .jpg or .png
    name: str                 # the part's name in the package, for the report
    size_px: tuple
    converted: str | None = None      # the original format when it was converted to PNG
    floating: bool = False            # anchored (wrapped by text) in Word rather than inline


@dataclass
class Table:
    """A plain grid of text (no merged or nested cells, no pictures): an article holds it as a pipe table."""
    n: int                    # the paragraph it follows
    rows: list                # [[cell text]], the first row the head


@dataclass
class Manuscript:
    blocks: list                       # Para, Picture and Table in document order
    skipped: list                      # (paragraph number, what, text) not imported
    texts: list                        # (where, text): everything the manuscript says, for the round trip
    producer: str                      # "WPS Office", "Microsoft Word" or "unknown"
    body_size: float | None = None     # the most common font size of the text, in points


def read(path):
    """Return the Manuscript of the .docx at path; raise InputError if it is not a readable .docx."""
    path = Path(path)
    _check_file(path)
    try:
        document = docx.Document(str(path))
    except ValueError as e:         # python-docx: "file '…' is not a Word file, content type is '…'"
        if "content type" not in str(e):
            raise _refuse(path, f"the Word file is damaged ({e}); {SAVE_AS} again") from None
        raise _refuse(path, f"this is a Word template or macro document ({str(e).split('content type is')[-1].strip()}), "
                            f"not a .docx: {SAVE_AS}") from None
    except Exception as e:          # python-docx raises KeyError, ValueError, lxml errors … on a damaged package
        raise _refuse(path, f"the Word file is damaged ({type(e).__name__}: {str(e)[:80]}); "
                            "open it in Word or WPS and save it again as .docx") from None
    return _Reader(path, document).read()


def _refuse(path, message):
    return InputError([Problem(rel(path), None, None, message)])


SAVE_AS = "open it in Word or WPS and save it as a Word document (.docx)"


def _check_file(path):
    """Refuse anything that is not a sane .docx, saying what the file is and what to do."""
    if not path.is_file():
        raise _refuse(path, "no such file")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refuse(path, _ole2_kind(path))
    if head.startswith(b"{\\rtf"):
        raise _refuse(path, f"this is an RTF file, not a .docx: {SAVE_AS}")
    if head.startswith(b"%PDF"):
        raise _refuse(path, "this is a PDF, not a Word file: ask for the manuscript as .docx")
    if not head.startswith(b"PK"):
        what = "a Word 2003 XML or web page file" if head.lstrip().startswith(b"<") else "not a Word file"
        raise _refuse(path, f"{what} (it is not a zip package, whatever its name): {SAVE_AS}")
    _check_zip(path)


def _ole2_kind(path):
    data = path.read_bytes()
    if "EncryptionInfo".encode("utf-16-le") in data:
        return ("this .docx is protected by a password (encrypted): open it, remove the password "
                "(File → Info → Protect Document → Encrypt with Password, empty), and save it again as .docx")
    if path.suffix.lower() == ".wps" or "WPS".encode("utf-16-le") in data or b"Kingsoft" in data:
        return f"this is a WPS Office document (.wps), not a .docx: {SAVE_AS}"
    return f"this is an old Word 97–2003 document (.doc), not a .docx: {SAVE_AS}"


def _check_zip(path):
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            mimetype = z.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _refuse(path, f"the file is damaged (not a readable zip package: {e}); {SAVE_AS} again") from None
    if len(infos) > MAX_ENTRIES:
        raise _refuse(path, f"the package holds {len(infos):,} files, more than {MAX_ENTRIES:,}: not a manuscript")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(path, f"the package unpacks to {total / 1e6:,.0f} MB, more than "
                            f"{MAX_UNCOMPRESSED // 1_000_000} MB accepted (a zip bomb?)")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _refuse(path, f"{i.filename} unpacks {i.file_size // max(i.compress_size, 1):,} times "
                                f"its packed size, more than {MAX_RATIO} (a zip bomb?)")
    if "word/document.xml" not in names:
        if b"opendocument" in mimetype:
            raise _refuse(path, f"this is an OpenDocument file (.odt), not a .docx: {SAVE_AS}")
        what = next((w for p, w in (("xl/", "an Excel workbook"), ("ppt/", "a PowerPoint file")) if p in str(names)),
                    "a zip file but not a Word document")
        raise _refuse(path, f"this is {what} (no word/document.xml): ask for the manuscript as .docx")


class _Reader:
    """One walk over the document body, in order."""

    def __init__(self, path, document):
        self.path = path
        self.doc = document
        self.blocks, self.skipped, self.texts = [], [], []
        self.n = 0                      # non-empty manuscript paragraphs seen
        self.sizes = {}                 # font size → characters set in it
        self.tracked = {"ins": 0, "del": 0}
        self.notes_text = {kind: self._note_texts(rt)
                           for kind, rt in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES),
                                            ("comment", RT.COMMENTS))}
        self.default_size = self._default_size()

    def read(self):
        self._container(self.doc.element.body)
        self._headers_and_footers()
        if self.tracked["ins"] or self.tracked["del"]:
            self.skipped.append((None, "tracked changes",
                                 f"{self.tracked['ins']} insertion(s), {self.tracked['del']} deletion(s) pending: "
                                 "imported as if accepted"))
        body_size = max(self.sizes, key=self.sizes.get) if self.sizes else None
        return Manuscript(self.blocks, self.skipped, self.texts, self._producer(), body_size)

    def _headers_and_footers(self):
        """Running heads typed in Word are page furniture, not the article: listed, not imported."""
        seen = set()
        for section in self.doc.sections:
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
                text = " ".join(p.text for p in part.paragraphs).strip() if not part.is_linked_to_previous else ""
                if text and text not in seen:
                    seen.add(text)
                    self.skipped.append((None, "header/footer", text))

    # -- the body -----------------------------------------------------------------------------

    def _container(self, element):
        for child in element:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if child.tag == W + "p":
                self._paragraph(child)
            elif child.tag == W + "tbl":
                self._table(child)
            elif child.tag in (W + "sdt", W + "customXml"):
                self._container(_content(child))
            elif child.tag == W + "ins":
                self.tracked["ins"] += 1
                self._container(child)
            elif tag == "AlternateContent":
                self._container(self._alternative(child) or etree.Element("none"))

    def _table(self, tbl):
        rows = tbl.findall("w:tr", NS)
        cells = [" ".join(_plain(p) for p in tc.iter(W + "p")).strip() for tc in tbl.iter(W + "tc")]
        text = " | ".join(c for c in cells if c)
        self.texts.append((f"table after ¶{self.n}", text))
        why = _not_a_grid(tbl, rows)
        if why:
            self.skipped.append((self.n, "table", f"after ¶{self.n}, {len(rows)} rows ({why}): {text}"))
            return
        self.blocks.append(Table(self.n, [[" ".join(_plain(p) for p in tc.findall("w:p", NS)).strip()
                                           for tc in tr.findall("w:tc", NS)] for tr in rows]))

    def _paragraph(self, p):
        para = Paragraph(p, self.doc.part)
        pieces = []
        self._inline(p, para, pieces)
        if p.find("w:pPr/w:numPr", NS) is not None and any(k == "text" and t.strip() for k, t, _ in pieces):
            self.skipped.append((self.n + 1, "automatic numbering",
                                 "the number Word adds before this paragraph is not text: type it if it matters"))
        chunk, after_photo = [], False
        for kind, value, run in pieces + [("end", None, None)]:
            if kind in ("text", "br"):
                chunk.append((value, run))
                continue
            self._emit_text(chunk, para, after_photo)
            chunk = []
            if kind == "pic":
                value.n = self.n            # the photo follows this paragraph
                self.blocks.append(value)
                after_photo = True

    def _emit_text(self, pieces, para, beside_photo):
        text = "".join(t for t, _ in pieces)
        if not text.strip():
            return
        self.n += 1
        runs = [(t, r) for t, r in pieces if r is not None and t.strip()]
        bold = all(self._bold(r, para) for _, r in runs)
        sizes = [self._size(r, para) for _, r in runs]
        for (t, _), s in zip(runs, sizes):
            self.sizes[s] = self.sizes.get(s, 0) + len(t.strip())
        heading, subtitle = self._outline(para)
        self.blocks.append(Para(self.n, text, para.style.name if para.style else "", heading, subtitle, bold,
                                self._alignment(para) == WD_ALIGN_PARAGRAPH.CENTER,
                                max((s for s in sizes if s), default=None), beside_photo))
        self.texts.append((f"¶{self.n}", text))

    def _inline(self, element, para, out):
        """Collect (kind, value, run element) pieces of a paragraph in document order."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if child.tag == W + "r":
                self._run(child, para, out)
            elif child.tag in (W + "del", W + "moveFrom"):
                self.tracked["del"] += 1
            elif child.tag in (W + "ins", W + "moveTo"):
                self.tracked["ins"] += 1
                self._inline(child, para, out)
            elif child.tag in (W + "hyperlink", W + "smartTag", W + "customXml", W + "fldSimple"):
                self._inline(child, para, out)
            elif child.tag == W + "sdt":
                self._inline(_content(child), para, out)
            elif name in ("oMath", "oMathPara"):
                self.skipped.append((self.n + 1, "equation", _plain(child, "m")))
                self.texts.append((f"equation in ¶{self.n + 1}", _plain(child, "m")))
            elif name == "AlternateContent":
                chosen = self._alternative(child)
                if chosen is not None:
                    self._inline(chosen, para, out)

    def _run(self, r, para, out):
        run = Run(r, para)
        for child in r:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if child.tag == W + "t":
                out.append(("text", child.text or "", run))
            elif child.tag in (W + "tab", W + "ptab"):
                out.append(("text", " ", run))
            elif child.tag == W + "noBreakHyphen":
                out.append(("text", "-", run))
            elif (child.tag == W + "br" and child.get(W + "type") in (None, "textWrapping")) or child.tag == W + "cr":
                out.append(("br", "\n", None))
            elif child.tag == W + "drawing":
                self._drawing(child, out)
            elif child.tag == W + "pict":
                self._vml(child, out)
            elif child.tag == W + "object":
                self.skipped.append((self.n + 1, "embedded object", _object_kind(child)))
            elif name == "AlternateContent":
                chosen = self._alternative(child)
                if chosen is not None:
                    self._run(chosen, para, out)
            elif child.tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if "footnote" in name else "endnote"
                text = self.notes_text[kind].get(child.get(W + "id"), "")
                self.skipped.append((self.n + 1, kind, text))
                self.texts.append((f"{kind} in ¶{self.n + 1}", text))
            elif child.tag == W + "commentReference":
                self.skipped.append((self.n + 1, "comment", self.notes_text["comment"].get(child.get(W + "id"), "")))

    def _alternative(self, ac):
        """The branch of an mc:AlternateContent we understand: a Choice holding Word content, else the Fallback."""
        for choice in ac.findall("mc:Choice", NS):
            if choice.find(".//w:drawing", NS) is not None or choice.find("w:r", NS) is not None \
                    or choice.find("w:p", NS) is not None:
                return choice
        fallback = ac.find("mc:Fallback", NS)
        if fallback is None or not len(fallback):
            requires = ", ".join(c.get("Requires", "?") for c in ac.findall("mc:Choice", NS))
            self.skipped.append((self.n + 1, "content with no fallback",
                                 f"only readable by the program that wrote it (requires {requires or 'nothing named'}); "
                                 f"text: {_plain(ac)}"))
            self.texts.append((f"content with no fallback near ¶{self.n + 1}", _plain(ac)))
            return None
        return fallback

    # -- pictures, text boxes, objects --------------------------------------------------------------

    def _drawing(self, drawing, out):
        blip = drawing.find(".//pic:pic//a:blip", NS)
        if blip is not None:
            self._picture(blip.get("{%s}embed" % NS["r"]) or blip.get("{%s}link" % NS["r"]), out,
                          floating=drawing.find("wp:anchor", NS) is not None)
            return
        text = " ".join(_plain(p) for p in drawing.iter(W + "p")).strip()
        uri = (drawing.find(".//a:graphicData", NS).get("uri", "") if drawing.find(".//a:graphicData", NS)
               is not None else "")
        kind = ("text box" if drawing.find(".//w:txbxContent", NS) is not None else
                "chart" if "chart" in uri else "SmartArt diagram" if "diagram" in uri else "drawing")
        self._skip_with_text(kind, text)

    def _vml(self, pict, out):
        data = pict.find(".//v:imagedata", NS)
        if data is not None and pict.find(".//w:txbxContent", NS) is None:
            self._picture(data.get("{%s}id" % NS["r"]), out)
            return
        text = " ".join(_plain(p) for p in pict.iter(W + "p")).strip()
        self._skip_with_text("text box" if pict.find(".//w:txbxContent", NS) is not None else "drawing", text)

    def _skip_with_text(self, kind, text):
        self.skipped.append((self.n + 1, kind, text))
        if text:
            self.texts.append((f"{kind} near ¶{self.n + 1}", text))

    def _picture(self, rid, out, floating=False):
        rel_ = self.doc.part.rels.get(rid) if rid else None
        if rel_ is None or rel_.is_external:
            self.skipped.append((self.n + 1, "linked picture", "the picture is not inside the file: insert it, not link it"))
            return
        part = rel_.target_part
        ctype, name = part.content_type, str(part.partname)
        if ctype in VECTOR_TYPES:
            self.skipped.append((self.n + 1, "WMF/EMF picture", f"{name}: export it as JPEG or PNG and send it apart"))
            return
        if ctype not in PICTURE_TYPES and ctype not in CONVERTED_TYPES:
            self.skipped.append((self.n + 1, "picture", f"{name} ({ctype}): not a photo format we place"))
            return
        size, blob, ext, converted = self._photo(part.blob, name, ctype)
        out.append(("pic", Picture(0, blob, ext, name, size, converted, floating), None))

    def _photo(self, blob, name, ctype):
        """Check a photo by the loader's pixel limit before decoding it; convert GIF/BMP/TIFF to PNG."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(io.BytesIO(blob)) as im:
                    size, fmt = im.size, im.format
                    if size[0] * size[1] > images.MAX_PIXELS:
                        raise _refuse(self.path, f"{name} is {size[0]}×{size[1]} pixels, more than the "
                                                 f"{images.MAX_PIXELS // 1_000_000} megapixels accepted: "
                                                 "replace it with a photo exported at print size")
                    if ctype in PICTURE_TYPES:
                        return size, blob, PICTURE_TYPES[ctype], None
                    png = io.BytesIO()
                    im.save(png, "PNG")
                    return size, png.getvalue(), ".png", fmt
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _refuse(self.path, f"{name} has too many pixels to be a photo (decompression bomb?)") from None
        except (OSError, ValueError, SyntaxError):
            raise _refuse(self.path, f"{name} is not a readable image: replace it in the manuscript") from None

    # -- what a paragraph looks like -------------------------------------------------------------

    def _bold(self, r, para):
        run = r if isinstance(r, Run) else Run(r, para)
        for value in (run.bold, _chain(run.style, lambda s: s.font.bold), _chain(para.style, lambda s: s.font.bold)):
            if value is not None:
                return value
        return False

    def _size(self, run, para):
        size = run.font.size or _chain(run.style, lambda s: s.font.size) or _chain(para.style, lambda s: s.font.size)
        return round(size.pt, 1) if size else self.default_size

    def _alignment(self, para):
        return para.alignment if para.alignment is not None else _chain(para.style, lambda s: s.paragraph_format.alignment)

    def _outline(self, para):
        name = (para.style.name if para.style else "").lower()
        if name in ("title", "标题"):
            return 0, False
        m = re.fullmatch(r"(?:heading|标题)\s*(\d)", name)
        if m:
            return int(m.group(1)), False
        level = _chain(para.style, lambda s: _outline_level(s.element))
        own = _outline_level(para._p)
        level = own if own is not None else level
        return (level + 1 if level is not None and level < 9 else None), name in ("subtitle", "副标题")

    def _default_size(self):
        sz = self.doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
        return int(sz.get(W + "val")) / 2 if sz is not None else 10.5

    def _note_texts(self, reltype):
        """id → text of the footnotes, endnotes or comments part (absent parts give nothing)."""
        try:
            part = self.doc.part.part_related_by(reltype)
        except KeyError:
            return {}
        root = etree.fromstring(part.blob)
        return {n.get(W + "id"): " ".join(_plain(p) for p in n.iter(W + "p")).strip()
                for n in root if n.get(W + "type") not in ("separator", "continuationSeparator")}

    def _producer(self):
        with zipfile.ZipFile(self.path) as z:
            names = set(z.namelist())
            app = z.read("docProps/app.xml") if "docProps/app.xml" in names else b""
            custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in names else b""
        if b"KSOProductBuildVer" in custom or b"WPS" in app:
            return "WPS Office"
        m = re.search(rb"<Application>([^<]*)</Application>", app)
        return m.group(1).decode("utf-8", "replace") if m else "unknown"


def _chain(style, get):
    """A property from a style or the styles it is based on (None if none sets it)."""
    while style is not None:
        value = get(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def _content(element):
    """What a content control (w:sdt) or custom XML element holds."""
    if element.tag != W + "sdt":
        return element
    content = element.find("w:sdtContent", NS)
    return content if content is not None else etree.Element("none")


def _outline_level(element):
    lvl = element.find("w:pPr/w:outlineLvl", NS)
    return int(lvl.get(W + "val")) if lvl is not None else None


def _not_a_grid(tbl, rows):
    """Why a Word table cannot be a pipe table, or None: merged or nested cells, pictures, one row,
    rows of different lengths (a pipe table has one head and equal rows)."""
    if len(rows) < 2:
        return "a single row"
    if tbl.find(".//w:tc/w:tbl", NS) is not None:
        return "a table inside a cell"
    if tbl.find(".//w:gridSpan", NS) is not None or tbl.find(".//w:vMerge", NS) is not None:
        return "merged cells"
    if tbl.find(".//w:drawing", NS) is not None or tbl.find(".//w:pict", NS) is not None:
        return "pictures in cells"
    if len({len(tr.findall("w:tc", NS)) for tr in rows}) != 1:
        return "rows of different lengths"
    return None


def _plain(element, prefix="w"):
    """The visible text inside an element (w:t, or m:t in equations), soft returns as spaces."""
    return "".join(t.text or "" for t in element.iter("{%s}t" % NS[prefix]))


def _object_kind(obj):
    ole = next((e for e in obj.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "OLEObject"), None)
    prog = ole.get("ProgID", "") if ole is not None else ""
    return f"{prog or 'an OLE object'}: paste its content as text or a picture"
