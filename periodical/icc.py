"""ICC profiles: the few header facts the print and archive outputs depend on.

An output intent must carry a printer (or monitor) profile whose colour space matches the
number of components the PDF declares; PDF/X-4 and PDF/A-2/3 accept ICC versions 2 and 4.
This reads those facts from the profile's bytes (ICC.1:2010, section 7.2 header, 9.2 tags).
"""
import struct
from dataclasses import dataclass
from pathlib import Path

SYSTEM_PROFILES = Path("/usr/share/color/icc")                  # where Debian packages put ICC profiles
DEFAULT_CMYK = SYSTEM_PROFILES / "ghostscript" / "default_cmyk.icc"   # Debian: libgs-common
COMPONENTS = {"GRAY": 1, "RGB": 3, "CMYK": 4, "LAB": 3}


@dataclass(frozen=True)
class Profile:
    device_class: str      # prtr (printer), mntr (monitor), scnr, spac, …
    color_space: str       # CMYK, RGB, GRAY, LAB
    version: int           # major version, 2 or 4
    description: str

    @property
    def components(self):
        return COMPONENTS.get(self.color_space)


def read(data):
    """The header facts of an ICC profile given as bytes; ValueError if it is not one."""
    if len(data) < 132 or data[36:40] != b"acsp":
        raise ValueError("not an ICC profile (no 'acsp' signature)")
    (size,) = struct.unpack(">I", data[:4])
    if size != len(data):
        raise ValueError(f"ICC header says {size} bytes, the profile has {len(data)}")
    return Profile(device_class=data[12:16].decode("latin-1").strip(),
                   color_space=data[16:20].decode("latin-1").strip().upper(),
                   version=data[8], description=_description(data))


def _description(data):
    (count,) = struct.unpack(">I", data[128:132])
    for i in range(count):
        sig, offset, size = struct.unpack(">4sII", data[132 + 12 * i:144 + 12 * i])
        if sig != b"desc":
            continue
        tag = data[offset:offset + size]
        if tag[:4] == b"desc":                      # ICC v2 textDescriptionType: ASCII part
            (length,) = struct.unpack(">I", tag[8:12])
            return tag[12:12 + length].split(b"\0")[0].decode("latin-1")
        if tag[:4] == b"mluc":                      # ICC v4: first record, UTF-16BE
            rec_len, rec_off = struct.unpack(">II", tag[20:28])
            return tag[rec_off:rec_off + rec_len].decode("utf-16-be")
    return ""
