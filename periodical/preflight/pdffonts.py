"""The fonts of a PDF as a preflight sees them: embedded or not, which glyphs the text uses,
whether the widths the PDF declares are the font program's, and whether each glyph maps to Unicode.

Works on composite (Type0) fonts fully, the kind WeasyPrint and most CJK producers write: codes
are two bytes, read through Identity-H or an embedded CMap, and a CID is found in the program by
its CFF charset (cidNNNNN) or, for TrueType, through CIDToGIDMap. Simple fonts are checked for
embedding and Unicode mapping only.
"""
import io
import re
from dataclasses import dataclass, field
from functools import cached_property

import pikepdf
from fontTools.ttLib import TTFont

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass
class Font:
    obj: object                                  # the font dictionary
    pages: set = field(default_factory=set)
    codes: set = field(default_factory=set)      # character codes shown

    @property
    def name(self):
        return str(self.obj.get("/BaseFont", "/(unnamed)"))[1:]

    @property
    def composite(self):
        return self.obj.get("/Subtype") == pikepdf.Name.Type0

    @property
    def descendant(self):
        return self.obj.DescendantFonts[0] if self.composite else self.obj

    @property
    def descriptor(self):
        return self.descendant.get("/FontDescriptor")

    @property
    def program(self):
        """The embedded font file's stream, or None (Type3 fonts draw their glyphs: no program needed)."""
        desc = self.descriptor
        return next((desc[k] for k in FONT_FILES if desc is not None and k in desc), None)

    @property
    def embedded(self):
        return self.obj.get("/Subtype") == pikepdf.Name.Type3 or self.program is not None

    @cached_property
    def cids(self):
        """code → CID of every code shown (composite fonts)."""
        encoding = self.obj.get("/Encoding")
        table = _cmap(encoding.read_bytes(), "cid") if isinstance(encoding, pikepdf.Stream) else None
        return {code: (table.get(code, 0) if table is not None else code) for code in self.codes}

    @cached_property
    def to_unicode(self):
        tu = self.obj.get("/ToUnicode")
        return _cmap(tu.read_bytes(), "bf") if isinstance(tu, pikepdf.Stream) else {}

    def notdef_codes(self):
        """Codes shown with the .notdef glyph (CID 0): characters the font could not print."""
        return sorted(code for code, cid in self.cids.items() if cid == 0) if self.composite else []

    def unmapped_codes(self):
        """Codes shown that have no Unicode value (search and copy lose them)."""
        return sorted(c for c in self.codes if not self.to_unicode.get(c, "").strip("\0\ufffe\uffff"))

    def width_mismatches(self, tolerance=1):
        """(cid, declared, program) for shown glyphs whose declared width differs from the program's."""
        if not self.composite or self.program is None:
            return []
        widths = _w_array(self.descendant)
        default = float(self.descendant.get("/DW", 1000))
        actual = _program_widths(bytes(self.program.read_bytes()), self.descendant, set(self.cids.values()))
        return [(cid, widths.get(cid, default), w) for cid, w in sorted(actual.items())
                if abs(widths.get(cid, default) - w) > tolerance]


def decode(run, fonts):
    """The Unicode text of one text run, through its font's ToUnicode map."""
    font = fonts.get(_key(run.font)) if run.font is not None else None
    if font is None:
        return ""
    step = 2 if font.composite else 1
    return "".join(font.to_unicode.get(int.from_bytes(run.codes[i:i + step], "big"), "")
                   for i in range(0, len(run.codes), step))


def _key(font):
    return font.objgen if font.is_indirect else id(font)


def survey(scans):
    """Every font shown on the scanned pages, keyed by object, with the codes it showed."""
    fonts = {}
    for page in scans:
        for run in page.text:
            if run.font is None:
                continue
            font = fonts.setdefault(_key(run.font), Font(run.font))
            font.pages.add(page.number)
            step = 2 if font.composite else 1
            font.codes.update(int.from_bytes(run.codes[i:i + step], "big") for i in range(0, len(run.codes), step))
    return fonts


def _cmap(data, kind):
    """Parse a CMap's cidchar/cidrange (kind 'cid') or bfchar/bfrange (kind 'bf') sections."""
    text = data.decode("latin-1")
    table = {}
    for block in re.findall(rf"begin{kind}char(.*?)end{kind}char", text, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\d+)", block):
            table[int(src, 16)] = _value(dst, kind)
    for block in re.findall(rf"begin{kind}range(.*?)end{kind}range", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\d+|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for code, item in zip(range(lo, hi + 1), re.findall(r"<[0-9a-fA-F]*>", dst)):
                    table[code] = _value(item, kind)
                continue
            first = _value(dst, kind)
            for code in range(lo, hi + 1):
                table[code] = first + (code - lo) if kind == "cid" else first[:-1] + chr(ord(first[-1]) + code - lo)
    return table


def _value(token, kind):
    if kind == "cid":
        return int(token)
    raw = bytes.fromhex(token.strip("<>"))
    return raw.decode("utf-16-be", errors="replace") if raw else ""


def _w_array(cidfont):
    """CID → width from a CIDFont's W array (both c [w …] and c_first c_last w forms)."""
    widths, items, i = {}, list(cidfont.get("/W", ())), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for n, w in enumerate(items[i + 1]):
                widths[first + n] = float(w)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _program_widths(data, cidfont, cids):
    """CID → advance width in 1/1000 em, read from the embedded font program."""
    font = TTFont(io.BytesIO(data), lazy=True)
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    order = font.getGlyphOrder()
    gid_map = cidfont.get("/CIDToGIDMap")
    gids = bytes(gid_map.read_bytes()) if isinstance(gid_map, pikepdf.Stream) else None
    out = {}
    for cid in cids:
        if "CFF " in font and f"cid{cid:05d}" in hmtx:
            glyph = f"cid{cid:05d}"
        else:
            gid = int.from_bytes(gids[2 * cid:2 * cid + 2], "big") if gids else cid
            glyph = order[gid] if gid < len(order) else None
        if glyph in hmtx:
            out[cid] = hmtx[glyph][0] * 1000 / upem
    return out
