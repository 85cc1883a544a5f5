"""The trim size an editor writes in issue.yaml ("185×260 mm") as the numbers the layout uses.

Chinese periodicals come in several formats (大16开 210 × 285 mm, 16开 185 × 260 mm, A4
210 × 297 mm, 大32开 140 × 203 mm); the layouts are drawn for any of them between MIN and MAX.
"""
import re
from dataclasses import dataclass

MIN = (100, 140)             # mm, width × height: the smallest page the layouts are drawn for
MAX = (300, 420)
# width, a times sign (× x X * ＊), height, optionally "mm"; spaces anywhere between
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*[×xX*＊]\s*(\d+(?:\.\d+)?)\s*(?:mm)?", re.I)


@dataclass(frozen=True)
class Trim:
    width: float             # mm
    height: float            # mm

    def __str__(self):
        return f"{self.width:g}×{self.height:g} mm"


DEFAULT = Trim(210, 285)     # 大16开, the format of 《哈尔滨政协》


def parse(text):
    """The Trim that `text` names; ValueError saying what is wrong if it names none the layouts draw."""
    m = _SIZE.fullmatch(str(text).strip())
    if not m:
        raise ValueError(f"'{text}' is not a trim size: write width×height in mm, e.g. 185×260 mm")
    trim = Trim(float(m[1]), float(m[2]))
    if not (MIN[0] <= trim.width <= MAX[0] and MIN[1] <= trim.height <= MAX[1]):
        raise ValueError(f"{trim} is outside the sizes the layouts are drawn for: width {MIN[0]}–{MAX[0]} mm, "
                         f"height {MIN[1]}–{MAX[1]} mm")
    return trim
