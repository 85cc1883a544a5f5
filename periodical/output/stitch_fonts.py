"""The stitched issue's fonts: each face's per-part subsets merged into one font (for stitch.py).

WeasyPrint embeds each face once per part, subset to the part's glyphs (CID = glyph id of the
layout's font file). `merge(out, holders, font_files)` makes of each face one font for the issue:
its source file (found in `font_files` by the PostScript name of the embedded program) subset
once to the union of the glyphs, the way WeasyPrint subsets (HarfBuzz), with one /W and one
/ToUnicode merged from the parts', and points the /Font resources at it. A font with no source,
with .notdef stand-ins (its own Encoding CMap) or whose parts disagree on a width is left as each
part drew it.

May touch: the /Font resource dictionaries it is given, and the issue's PDF, to add the merged
fonts to it. Reads the font files; touches nothing on disk.
"""
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pikepdf
import uharfbuzz as hb
from pikepdf import Array, Dictionary, Name

# What WeasyPrint 70 does to a face it embeds (weasyprint/pdf/fonts.py, _harfbuzz_subset): a first
# pass keeps the used glyphs at their ids (desubroutinized, unknown tables passed through, these
# tables dropped), a second drops the empty glyphs after the last one used and the hints
# (write_pdf's default hinting=False). Its .notdef outline flag is only for fonts with missing
# glyphs, which are not merged here (see _source_of).
DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
FIRST_PASS = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
SECOND_PASS = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING
FIXED_PITCH = 1             # FontDescriptor flag bit 1
CMAP_HEAD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<< /Registry (Adobe)
/Ordering (UCS)
/Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
"""
CMAP_TAIL = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end"""
HEX = r"<([0-9a-fA-F]*)>"         # a hex string of a CMap


@dataclass
class Face:
    """One face as the parts embedded it: their Type0 fonts, and what they say of its glyphs.

    What the fonts say is merged as each is added, not kept per font: a part's /W and ToUnicode
    repeat most of the others', and an issue of a hundred parts has a few hundred such fonts.
    """
    fonts: list = field(default_factory=list)     # the parts' Type0 fonts, in the order the pages use them
    widths: dict = field(default_factory=dict)    # CID → width (1/1000 em), from /W
    text: dict = field(default_factory=dict)      # CID → Unicode text, from /ToUnicode: the first font's
    agree: bool = True                            # no two fonts give a glyph different widths

    def add(self, font):
        self.fonts.append(font)
        if not self.agree:
            return                   # the face is not merged: what this font says is not needed
        for cid, width in _widths(font).items():
            if self.widths.setdefault(cid, width) != width:
                self.agree = False   # the parts' layouts disagree: each keeps its own font
                return
        for cid, t in _unicode(font).items():
            self.text.setdefault(cid, t)  # the first part's text for a glyph, as WeasyPrint keeps the first


def merge(out, holders, font_files):
    """Replace each face's per-part fonts with one font subset to the union of their glyphs.

    holders: every /Font resource dictionary the issue's pages draw with, in page order, each once.
    """
    merged = {}
    for path, face in _faces(holders, _sources(font_files)).items():
        font = _merged_font(out, path, face)
        if font is not None:
            merged.update((f.objgen, font) for f in face.fonts)
    for fonts in holders:
        for key, font in list(fonts.items()):
            if isinstance(font, Dictionary) and font.is_indirect and font.objgen in merged:
                fonts[key] = merged[font.objgen]


def _faces(holders, sources):
    """Source file → the face the parts embedded from it (Face), fonts in the order the pages use them."""
    faces, found = {}, set()
    for fonts in holders:
        for font in fonts.values():
            if isinstance(font, Dictionary) and font.is_indirect and font.objgen not in found:
                found.add(font.objgen)
                path = _source_of(font, sources)
                if path is not None:
                    faces.setdefault(path, Face()).add(font)
    return faces


def _source_of(font, sources):
    """The source file of a font WeasyPrint embedded as a CFF CIDFont with Identity-H, or None."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
        return None          # an Encoding CMap: .notdef stand-ins for missing glyphs, CIDs past the font's
    descendants = font.get("/DescendantFonts")
    cid = descendants[0] if isinstance(descendants, Array) and len(descendants) == 1 else None
    if not isinstance(cid, Dictionary) or cid.get("/Subtype") != Name.CIDFontType0 \
            or cid.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return None
    program = cid.get("/FontDescriptor", {}).get("/FontFile3")
    if not isinstance(program, pikepdf.Stream) or program.get("/Subtype") != Name.OpenType:
        return None
    return sources.get(_ps_name(_stream_reader(program)))


def _merged_font(out, path, face):
    """The issue's font for one face (a new Type0 font), or None to leave the parts' fonts alone."""
    if not face.agree:
        return None
    widths, text = face.widths, face.text
    glyphs = sorted(set(widths) | set(text) | {0})
    source = _face(path, *_stamp(path))       # the HarfBuzz face of the file
    if glyphs[-1] >= source.glyph_count:
        return None                  # not laid out with this file
    program = _subset(source, glyphs)
    if not _widths_agree(program, widths):
        return None
    return _font_objects(out, face.fonts[0], glyphs, widths, text, program)


def _subset(face, glyphs):
    """The face subset to glyphs as WeasyPrint subsets (see DROP_TABLES): same ids, same outlines.

    HarfBuzz keeps no glyph after the last one asked for when it retains ids, so WeasyPrint's
    second pass (which drops them, and the hints) comes to one pass without hints: the same
    bytes, measured. The second pass is run only if HarfBuzz left glyphs after the last.
    """
    keep = hb.SubsetInput()
    keep.glyph_set.update(glyphs)
    keep.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in DROP_TABLES)
    keep.flags = FIRST_PASS | hb.SubsetFlags.NO_HINTING
    kept = hb.subset(face, keep)
    if kept.glyph_count > glyphs[-1] + 1:
        keep.glyph_set.update(range(glyphs[-1] + 1))
        keep.flags = SECOND_PASS
        kept = hb.subset(kept, keep)
    return kept.blob.data


def _widths_agree(program, widths):
    """Whether the parts' widths are the program's advances (PDF/A 6.2.11.5: they must be)."""
    face = hb.Face(program)
    font, scale = hb.Font(face), 1000 / face.upem
    return all(abs(font.get_glyph_h_advance(cid) * scale - w) <= 1 for cid, w in widths.items())


def _font_objects(out, model, glyphs, widths, text, program):
    """Type0 font, CIDFont, descriptor, program and ToUnicode for the face, modelled on a part's."""
    cid_model = model.DescendantFonts[0]
    descriptor_model = cid_model.FontDescriptor
    family = str(model.BaseFont).partition("+")[2] or str(model.BaseFont)[1:]
    name = Name(f"/{_tag(family, glyphs)}+{family}")

    stream = out.make_stream(program)
    stream.Subtype = Name.OpenType
    descriptor = _copy_direct(descriptor_model, FontName=name, FontFile3=stream)
    bbox = [float(v) for v in descriptor_model.get("/FontBBox", [0, 0, 0, 0])]
    descriptor.FontBBox = Array([0, _number(bbox[1]), _number(max(widths.values(), default=0)), _number(bbox[3])])
    fixed = len(widths) > 1 and len(set(widths.values())) == 1      # as WeasyPrint decides it
    descriptor.Flags = int(descriptor_model.get("/Flags", 4)) & ~FIXED_PITCH | (FIXED_PITCH if fixed else 0)
    if "/CIDSet" in descriptor_model:                               # PDF 1.4 and before
        descriptor.CIDSet = out.make_stream(_cid_set(widths))
    cid_font = _copy_direct(cid_model, BaseFont=name, W=_w_array(widths),
                            FontDescriptor=out.make_indirect(descriptor))
    return out.make_indirect(_copy_direct(
        model, BaseFont=name, Encoding=Name("/Identity-H"), ToUnicode=out.make_stream(_to_unicode(text)),
        DescendantFonts=Array([out.make_indirect(cid_font)])))


def _copy_direct(model, **replaced):
    """A new dictionary with the model's direct entries (numbers, names, strings, arrays of them)."""
    copy = Dictionary()
    for key, value in model.items():
        if key[1:] not in replaced and not _refers(value):
            copy[key] = plain(value)
    for key, value in replaced.items():
        copy[Name("/" + key)] = value
    return copy


def _refers(value):
    if isinstance(value, (Dictionary, pikepdf.Stream)) and value.is_indirect:
        return True
    if isinstance(value, (Array, Dictionary)):
        return any(_refers(v) for v in (value if isinstance(value, Array) else value.values()))
    return False


def plain(value):
    """A deep copy of a direct object: one must be neither shared nor taken from another Pdf.
    (stitch.py copies the parts' destinations with it.)"""
    if isinstance(value, Array):
        return Array([plain(v) for v in value])
    if isinstance(value, Dictionary):
        return Dictionary({k: plain(v) for k, v in value.items()})
    return value


def _tag(family, glyphs):
    """Six capitals named by the glyph set, so the same glyphs give the same subset name."""
    digest = hashlib.sha256(family.encode() + b"\0" + struct.pack(f">{len(glyphs)}I", *glyphs)).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _number(value):
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _w_array(widths):
    """/W as WeasyPrint writes it: a run of consecutive CIDs as c [w1 w2 …]."""
    w, run, last = Array(), None, None
    for cid in sorted(widths):
        if last is None or cid != last + 1:
            run = Array()
            w.append(cid)
            w.append(run)
        run.append(_number(widths[cid]))
        last = cid
    return w


def _cid_set(widths):
    bits = bytearray((max(widths) + 8) // 8)
    for cid in widths:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def _to_unicode(text):
    """A ToUnicode CMap of bfchar entries, 100 to a block (the PostScript limit), by CID."""
    items = sorted(text.items())
    lines = [CMAP_HEAD]
    for i in range(0, len(items), 100):
        block = items[i:i + 100]
        lines.append(f"{len(block)} beginbfchar\n".encode())
        lines.extend(f"<{cid:04x}> <{t.encode('utf-16-be').hex()}>\n".encode() for cid, t in block)
        lines.append(b"endbfchar\n")
    lines.append(CMAP_TAIL)
    return b"".join(lines)


# What the parts' fonts say: /W and /ToUnicode, read

def _widths(font):
    """CID → width from the CIDFont's /W (both the c [w …] and the c_first c_last w forms)."""
    w = font.DescendantFonts[0].get("/W")
    if not isinstance(w, Array):
        return {}
    # Read from W's PDF syntax: one call into pikepdf, not one per number.
    syntax, widths = w.unparse(), {}
    ranges = re.sub(rb"\d+\s*\[[^\]]*\]", b" ", syntax)
    for first, last, width in re.findall(rb"(\d+)\s+(\d+)\s+([-+]?[0-9.]+)", ranges):
        widths.update(dict.fromkeys(range(int(first), int(last) + 1), float(width)))
    for first, run in re.findall(rb"(\d+)\s*\[([^\]]*)\]", syntax):
        values = run.split()
        widths.update(zip(range(int(first), int(first) + len(values)), map(float, values)))
    return widths


def _unicode(font):
    """CID → text from the font's ToUnicode CMap (bfchar and bfrange sections)."""
    cmap = font.get("/ToUnicode")
    if not isinstance(cmap, pikepdf.Stream):
        return {}
    data = cmap.read_bytes().decode("latin-1")
    pairs = re.findall(rf"{HEX}\s*{HEX}", "".join(re.findall(r"beginbfchar(.*?)endbfchar", data, re.S)))
    codes, values = [int(code, 16) for code, _ in pairs], [value for _, value in pairs]
    # One decoding for all the values, split at the line feeds put between them (unless a value has one).
    texts = _utf16("".join(value + "000a" for value in values)).split("\n")[:-1]
    if len(texts) != len(values):
        texts = [_utf16(value) for value in values]
    text = dict(zip(reversed(codes), reversed(texts)))       # reversed: the first entry for a code wins
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, value in re.findall(rf"{HEX}\s*{HEX}\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if value.startswith("["):
                for code, item in zip(range(lo, hi + 1), re.findall(HEX, value)):
                    text.setdefault(code, _utf16(item))
            elif (first := _utf16(value.strip("<>"))):
                for code in range(lo, hi + 1):
                    text.setdefault(code, first[:-1] + chr(ord(first[-1]) + code - lo))
    return text


def _utf16(hex_digits):
    return bytes.fromhex(hex_digits).decode("utf-16-be", errors="replace")


# Font files and their names

def _sources(font_files):
    """PostScript name → font file; ValueError if two different files have one name."""
    sources = {}
    for path in (Path(p).resolve() for p in font_files):
        name = _file_ps_name(path, *_stamp(path))
        known = sources.setdefault(name, path) if name else path
        if known != path and known.read_bytes() != path.read_bytes():
            raise ValueError(f"{known} and {path} are both {name}: cannot tell which one the parts used")
    return sources


def _stamp(path):
    st = Path(path).stat()
    return st.st_size, st.st_mtime_ns


@lru_cache(maxsize=64)
def _file_ps_name(path, size, mtime):
    """The PostScript name of a font file (its size and time key the cache: a changed file is read again)."""
    with open(path, "rb") as f:
        def read(offset, length):
            f.seek(offset)
            return f.read(length)
        return _ps_name(read)


@lru_cache(maxsize=16)
def _face(path, size, mtime):
    """The HarfBuzz face of a font file (cached as _file_ps_name is)."""
    return hb.Face(hb.Blob.from_file_path(str(path)))


def _stream_reader(stream):
    """read(offset, length) over a stream's decoded data, inflating only as far as asked.

    An embedded program is a few hundred KiB; its table directory and name table come first
    (HarfBuzz writes the small tables first), so reading its name costs microseconds.
    """
    if stream.get("/Filter") != Name.FlateDecode or "/DecodeParms" in stream:
        data = stream.read_bytes()
        return lambda offset, length: data[offset:offset + length]
    inflate, got, pending = zlib.decompressobj(), bytearray(), bytes(stream.get_raw_stream_buffer())

    def read(offset, length):
        nonlocal pending
        while len(got) < offset + length and pending:
            got.extend(inflate.decompress(pending, max(4096, offset + length - len(got))))
            pending = inflate.unconsumed_tail
        return bytes(got[offset:offset + length])
    return read


def _ps_name(read):
    """The PostScript name of an OpenType font (name ID 6), else its CFF FontName; None if neither."""
    head = read(0, 12)
    if len(head) < 12:
        return None
    count = struct.unpack(">H", head[4:6])[0]
    directory = read(12, 16 * count)
    tables = {directory[i:i + 4]: struct.unpack(">II", directory[i + 8:i + 16]) for i in range(0, len(directory), 16)}
    if b"name" in tables:
        offset, length = tables[b"name"]
        name = _name_id6(read(offset, length))
        if name:
            return name
    if b"CFF " in tables:
        offset, length = tables[b"CFF "]
        return _cff_name(read(offset, min(length, 1024)))
    return None


def _name_id6(table):
    if len(table) < 6:
        return None
    _, count, strings = struct.unpack(">HHH", table[:6])
    found = {}
    for i in range(count):
        platform, encoding, _, name_id, length, offset = struct.unpack(">6H", table[6 + 12 * i:18 + 12 * i])
        if name_id == 6:
            raw = table[strings + offset:strings + offset + length]
            found.setdefault(platform, raw.decode("utf-16-be" if platform in (0, 3) else "latin-1", errors="replace"))
    return found.get(3) or found.get(1) or found.get(0)


def _cff_name(cff):
    """The first name of the CFF Name INDEX (after the header)."""
    if len(cff) < 8:
        return None
    start = cff[2]
    count, size = struct.unpack(">H", cff[start:start + 2])[0], cff[start + 2]
    if not count:
        return None
    offsets = cff[start + 3:start + 3 + 2 * size]
    first, second = int.from_bytes(offsets[:size], "big"), int.from_bytes(offsets[size:], "big")
    data = start + 3 + (count + 1) * size - 1
    return cff[data + first:data + second].decode("latin-1")

