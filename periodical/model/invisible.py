"""Invisible and control characters that copy-paste brings along: found, counted, removed.

Text pasted from web pages, WeChat articles or a terminal carries characters nobody typed and
nobody sees: zero-width spaces and joiners, word joiners, byte-order marks inside the text, soft
hyphens, C0/C1 control characters (a BEL, the ESC of an ANSI colour code). In print they are at
best nothing and at worst a missing-glyph box, and YAML refuses control characters outright. So
the loader removes them as a file is read, before YAML parses it, and reports each kind once per
file with the line of its first occurrence and a count: a warning, and the build goes on.
"""
import re
import unicodedata
from dataclasses import dataclass

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SOFT_HYPHEN = "\u00ad"
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"        # C0 and C1 but tab and newline (line ends are normalised first)
# An ANSI escape (ESC [ parameters letter) goes whole: its parameters alone would print as "[31m".
ANSI = r"\x1b\[[0-?]*[ -/]*[@-~]"
CONTROL = re.compile(f"[{CONTROLS}]")
PATTERN = re.compile(f"{ANSI}|[{ZERO_WIDTH}{SOFT_HYPHEN}{CONTROLS}]")

# Control characters have no Unicode name; these are the ones pasted text brings most.
CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
                 "\x0c": "FORM FEED", "\x1b": "ESCAPE", "\x7f": "DELETE"}


@dataclass(frozen=True)
class Removed:
    """One kind of character removed from a file: the character, its first line, how many."""
    char: str
    line: int
    count: int
    escape: bool = False        # an ANSI escape sequence, removed with its parameters

    def message(self, first=True):
        """What was removed; first: the line reported is the first of several occurrences."""
        name = unicodedata.name(self.char, None) or CONTROL_NAMES.get(self.char, "CONTROL CHARACTER")
        kind = ("an ANSI terminal code, removed with its parameters" if self.escape else
                "a control character" if CONTROL.match(self.char) else "invisible")
        times = "once" if self.count == 1 else f"{self.count} times{', the first on this line' if first else ''}"
        return f"U+{ord(self.char):04X} {name} ({kind}) removed {times}"


def strip(text):
    """Return (text without invisible and control characters, [Removed], one per kind)."""
    kinds, pieces, last, line = {}, [], 0, 1
    for m in PATTERN.finditer(text):
        line += text.count("\n", last, m.start())
        pieces.append(text[last:m.start()])
        last = m.end()
        char = m.group()[0]
        first, count, escape = kinds.get(char, (line, 0, False))
        kinds[char] = (first, count + 1, escape or len(m.group()) > 1)
    if not kinds:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), [Removed(char, *found) for char, found in kinds.items()]
