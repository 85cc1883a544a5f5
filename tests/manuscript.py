"""Reading issue 148's manuscript and its CORRECTIONS.md for the fidelity tests."""
import re
import unicodedata
from pathlib import Path

ISSUE = Path(__file__).resolve().parent.parent / "issue" / "2023-01"


def norm(text):
    """Fold what printing legitimately changes: widths, spaces, quote styles, ornaments."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s\"“”‘’'□]", "", text)
    return text


def readings():
    """(manuscript, issue) pairs from every Readings table of CORRECTIONS.md."""
    return [(row[0], row[1]) for row in _tables("Readings")]


def not_carried():
    """Manuscript line numbers CORRECTIONS.md lists as not carried, with a reason."""
    lines = set()
    for row in _tables("Not carried"):
        a, _, b = row[0].replace("–", "-").partition("-")
        lines.update(range(int(a), int(b or a) + 1))
    return lines


def lines():
    """(line number, text) of every non-empty manuscript line, with the readings applied."""
    subs = readings()
    out = []
    for n, text in enumerate((ISSUE / "manuscript.txt").read_text(encoding="utf-8").split("\n"), 1):
        for old, new in subs:
            text = text.replace(old, new)
        if norm(text):
            out.append((n, text))
    return out


def _tables(heading):
    text = (ISSUE / "CORRECTIONS.md").read_text(encoding="utf-8")
    rows = []
    for block in re.findall(rf"^### {heading}\n(.*?)(?=^#|\Z)", text, re.S | re.M):
        for line in block.splitlines():
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= set("-: ") \
                    and cells[0] not in ("manuscript", "lines"):
                rows.append(cells)
    return rows
