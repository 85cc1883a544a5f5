"""Photos named by the data: where they may come from and what is accepted.

A photo path must stay inside the issue folder (no absolute paths, no `..` out of it, no
symlink pointing out). A missing file is allowed — the layout draws an FPO box — but a file
that is there must be a readable image of a sane size: the pixel limit refuses decompression
bombs before anything decodes them.
"""
import warnings
from pathlib import Path

from PIL import Image as PILImage

MAX_PIXELS = 60_000_000          # 60 megapixels: far above a magazine photo, far below a bomb
FORMATS = {"JPEG", "PNG", "TIFF", "GIF", "WEBP"}


def inspect(root, src):
    """Return (path or None, problem or None) for a photo path written in the data."""
    root = Path(root).resolve()
    if "://" in src or src.startswith(("/", "\\", "data:")):
        return None, f"'{src}' must be a path inside the issue folder (e.g. images/photo.jpg)"
    path = (root / src).resolve()
    if not path.is_relative_to(root):
        return None, f"'{src}' points outside the issue folder"
    if not path.exists():
        return None, None                    # missing: an FPO box stands in, and a warning says so
    return path, _check_file(path, src)


def _check_file(path, src):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                width, height = im.size
                fmt = im.format
    except PILImage.DecompressionBombError:
        return f"'{src}' has too many pixels to be a photo (decompression bomb?)"
    except (OSError, ValueError, PILImage.DecompressionBombWarning, SyntaxError):
        return f"'{src}' is not a readable image (JPEG, PNG, TIFF)"
    if fmt not in FORMATS:
        return f"'{src}' is a {fmt} file; use JPEG, PNG or TIFF"
    if width * height > MAX_PIXELS:
        return f"'{src}' is {width}×{height} pixels, more than the {MAX_PIXELS // 1_000_000} megapixels accepted"
    return None
