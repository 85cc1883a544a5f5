"""The declared fonts: where they come from, how they are prepared, what they cover.

Debian's fonts-noto-cjk ships each face as a collection (JP, KR, SC, TC, HK; the Sans
collections then hold the same five of Noto Sans Mono CJK). The set-up extracts the Simplified
Chinese face of each into fonts/ as a plain OpenType file, so the layouts load exactly that face
by path instead of whatever fontconfig would pick. The monospace face sets code (`code`, `kbd`,
`pre`): without it WeasyPrint took a fontconfig monospace font, which is not declared.
"""
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from periodical.errors import SetupError

# The extracted faces; PERIODICAL_FONTS points at another folder holding the same file names.
FONTS = Path(os.environ.get("PERIODICAL_FONTS", Path(__file__).resolve().parent.parent / "fonts")).resolve()
DEBIAN = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2      # face order in the Noto CJK collections: JP, KR, SC, TC, HK
MONO_SC_INDEX = 7  # NotoSansCJK-Regular.ttc: Sans JP … HK (0–4), then Sans Mono JP, KR, SC, TC, HK


@dataclass(frozen=True)
class Font:
    file: str          # name in fonts/
    source: str        # collection in Debian's fonts-noto-cjk
    family: str        # CSS family name used by layouts/
    weight: int
    index: int = SC_INDEX   # the face in the collection


DECLARED = (
    Font("NotoSerifSC-Regular.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif SC", 400),
    Font("NotoSerifSC-Bold.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif SC", 700),
    Font("NotoSansSC-Regular.otf", "NotoSansCJK-Regular.ttc", "Noto Sans SC", 400),
    Font("NotoSansSC-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans SC", 700),
    Font("NotoSansMonoSC-Regular.otf", "NotoSansCJK-Regular.ttc", "Noto Sans Mono SC", 400, MONO_SC_INDEX),
)


def prepare(fonts_dir=FONTS, source_dir=DEBIAN):
    """Extract the SC face of each declared collection into fonts_dir (once)."""
    import uharfbuzz as hb
    fonts_dir.mkdir(exist_ok=True)
    for font in DECLARED:
        target = fonts_dir / font.file
        if target.exists():
            continue
        source = source_dir / font.source
        if not source.exists():
            raise SystemExit(f"{source} is missing: install Debian's fonts-noto-cjk")
        face = hb.Face(hb.Blob.from_file_path(str(source)), font.index)
        keep = hb.SubsetInput()
        keep.keep_everything()          # every glyph and feature: this is an extraction, not a subset
        keep.unicode_set.update(face.unicodes)
        data = hb.subset(face, keep).blob.data
        _write_once(target, data)
        print(f"fonts: {font.file} ({len(data) // 1024} KiB) from {font.source}", file=sys.stderr)


@lru_cache(maxsize=None)
def coverage(path):
    """The set of code points a font file maps to glyphs."""
    import uharfbuzz as hb        # reads the cmap in C: 0.3 ms a CJK face, fontTools 130 ms
    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


# OpenType features the layouts rely on (CJK punctuation widths, vertical forms, locale forms).
FEATURES = ("halt kern palt vert vhal vkrn vpal aalt calt ccmp dlig fwid hist hwid liga locl pwid ruby "
            "vrt2 mark chws vchw").split()


# Printed by the layout itself, whatever the text holds: digits, Latin letters, bullets, marks.
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "•·—…“”‘’（）【】《》〈〉「」『』、。，：；！？□　"
SUBSET_RECIPE = b"features+names+cff-identity-charset"     # part of the cache key: change it with the recipe


def _gb2312():
    return "".join(ch for hi in range(0xA1, 0xF8) for lo in range(0xA1, 0xFF)
                   if (ch := bytes([hi, lo]).decode("gb2312", errors="ignore")))


# Every subset holds GB 2312 (6,763 hanzi, 682 marks), whatever the text: an editor who
# types a common character the issue did not have yet gets the same subset, and so the same
# fonts and layouts for every part the edit did not touch. Costs ~4 MB per face, no layout time.
COMMON_CHARS = _gb2312()


def subset(chars, cache_dir, fonts_dir=FONTS):
    """Subset every declared font to `chars` with HarfBuzz; return the folder holding them.

    The folder's name is a hash of the characters and the source fonts, so a changed text
    or font makes a new subset and an unchanged one is reused.
    """
    import hashlib
    import uharfbuzz as hb
    chars = "".join(sorted(set(chars) | set(BASE_CHARS) | set(COMMON_CHARS)))
    key = hashlib.sha256(chars.encode() + SUBSET_RECIPE + identity(fonts_dir))
    folder = Path(cache_dir) / key.hexdigest()[:16]
    if all((folder / f.file).exists() for f in DECLARED):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for font in DECLARED:
        face = hb.Face(hb.Blob.from_file_path(str(fonts_dir / font.file)))
        keep = hb.SubsetInput()
        keep.unicode_set.update(ord(c) for c in chars)
        keep.layout_feature_tag_set.update(int.from_bytes(t.encode(), "big") for t in FEATURES)
        keep.name_id_set.update(range(26))
        # Glyph n keeps CID n: a PDF reader finds a CID-keyed CFF glyph through the charset, and
        # WeasyPrint writes glyph numbers as CIDs, so any other charset gives the wrong widths.
        keep.flags |= hb.SubsetFlags.CFF_IDENTITY_CHARSET
        _write_once(folder / font.file, hb.subset(face, keep).blob.data)
    return folder


def identity(fonts_dir=FONTS):
    """The declared font files as a key (name, size, time): a changed font changes it."""
    return "".join(f"{path.name}:{st.st_size}:{st.st_mtime_ns};"
                   for path in declared_files(fonts_dir) for st in [path.stat()]).encode()


def declared_files(fonts_dir=FONTS):
    """The declared faces' files; SetupError if the set-up has not extracted them."""
    paths = [fonts_dir / f.file for f in DECLARED]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise SetupError(f"the fonts are missing from {fonts_dir} ({', '.join(missing)}): run `make setup` "
                         "(it extracts them from Debian's fonts-noto-cjk), or point PERIODICAL_FONTS at them")
    return paths


def _write_once(target, data):
    """Write through a temporary file of this process's own: builds running at once (make -j)
    may make the same subset, and each must find a whole file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, target)


def missing(chars, fonts_dir=FONTS):
    """Characters that none of the text faces (the serif) can print.

    The serif's characters are a subset of every other declared face's (sans, bold, mono: measured
    on Debian's 2022 Noto CJK), so a character that passes prints from a declared face wherever it stands.
    """
    serif = [path for f, path in zip(DECLARED, declared_files(fonts_dir)) if f.family == "Noto Serif SC"]
    covered = frozenset().union(*(coverage(str(path)) for path in serif))
    return sorted(c for c in chars if ord(c) not in covered and c not in "\n\t\u00ad")


if __name__ == "__main__":
    prepare()
