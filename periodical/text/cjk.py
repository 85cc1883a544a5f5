"""Character classes of Chinese text layout, after W3C clreq and GB/T 15834-2011.

One table for the three places that need it: the text stage (what to normalise, where the
Han–Latin gaps go, which marks are set half-width: text.py, cjk_spans.py), the renderer's
justification and line breaks (cjk_justify.py), and the typesetting checker (typography.py),
so the rules the layout follows are the rules the checker enforces.
"""
import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Full-width punctuation and the marks Chinese text shares with Western text.
PUNCT = "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
LATIN = "A-Za-z0-9"

NO_LINE_START = "、，。．：；！？”’）》〉」』】〕〗］｝"      # 避头: never the first mark of a line
NO_LINE_END = "“‘（《〈「『【〔〖［｛"                        # 避尾: never the last mark of a line
INSEPARABLE = "—…"                                       # ——, ……: two marks printed as one
OPENING = NO_LINE_END
CLOSING = NO_LINE_START                                  # everything whose ink sits on the leading side
ASCII_PUNCT = ",.:;!?()"                                 # half-width marks that do not belong between Han

han = re.compile(f"[{HAN}]")
cjk = re.compile(f"[{HAN}{PUNCT}]")
latin = re.compile(f"[{LATIN}]")
# A run of Latin letters and digits printed as one unit: 2023, PM2.5, 5G, 3.5%, -15°C, 12:30, Wi-Fi, COVID 19.
latin_run = re.compile(r"(?:[-+](?=[0-9]))?[A-Za-z0-9](?:[A-Za-z0-9%°]|[.,:+\-/'&](?=[A-Za-z0-9])|[ \u00a0](?=[A-Za-z0-9]))*")


def is_han(ch):
    return bool(han.match(ch))


def is_cjk(ch):
    """A character set on the square grid: Han or full-width punctuation."""
    return bool(cjk.match(ch))


def compressed(text):
    """Indices of marks whose blank half-em is removed because another mark stands next to it.

    clreq §3.1.6 (adjacent punctuation): a closing mark followed by another mark loses the blank
    half after its ink (。” → 1.5 em, not 2 em); an opening mark that follows an opening mark
    loses the blank half before its ink (“《 → 1.5 em).
    """
    out = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in CLOSING and (b in CLOSING or b in OPENING):
            out.append(i)
        elif a in OPENING and b in OPENING:
            out.append(i + 1)
    return out
