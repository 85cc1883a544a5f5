"""Photos named by the data: where they may come from and what is accepted.

A photo path must stay inside the issue folder (no absolute paths, no `..` out of it, no
symlink pointing out). A missing file is allowed — the layout draws an FPO box — but a file
that is there must be a photo the press can print: JPEG, PNG or TIFF, of a sane size, and
whole. The pixel limit refuses decompression bombs before anything decodes them; then every
photo is decoded completely, so that a truncated or damaged file is the editor's error with
its article and key, not a grey smear in print. GIF (256 colours) and WebP (a lossy web format)
are refused: export the picture again as JPEG, PNG or TIFF.
"""
import contextlib
import functools
import hashlib
import warnings
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageFile

MAX_PIXELS = 60_000_000          # 60 megapixels: far above a magazine photo, far below a bomb
FORMATS = {"JPEG", "MPO", "PNG", "TIFF"}       # MPO: the JPEG that many cameras write
READABLE = "is not a readable image (JPEG, PNG, TIFF)"
# What an editor drops in images/ by mistake, known by its first bytes.
NOT_PHOTOS = ((b"%PDF", "a PDF file"), (b"<?xml", "an SVG drawing or other XML"), (b"<svg", "an SVG drawing"))
ORIENTATION = 0x0112             # the EXIF tag
SIDEWAYS = (5, 6, 7, 8)          # orientations stored sideways (a phone portrait): width and height swap


def orientation(im):
    """The EXIF orientation of an opened photo (1: stored as it is seen)."""
    return im.getexif().get(ORIENTATION, 1)


def upright_size(im):
    """(width, height) of an opened photo as it is seen, its EXIF orientation applied."""
    return im.size[::-1] if orientation(im) in SIDEWAYS else im.size


def inspect(root, src):
    """Return (path or None, problem or None, (width, height) as seen or None) for a photo path
    written in the data: the size with its EXIF orientation applied, read once, here."""
    root = Path(root).resolve()
    if "://" in src or src.startswith(("/", "\\", "data:")):
        return None, f"'{src}' must be a path inside the issue folder (e.g. images/photo.jpg)", None
    try:
        path = (root / src).resolve()
    except (RuntimeError, OSError):          # Python 3.11 raises RuntimeError on a symlink loop
        return None, f"'{src}' is a symbolic link that points to itself (a loop)", None
    if not path.is_relative_to(root):
        return None, f"'{src}' points outside the issue folder", None
    if not path.exists():
        return None, None, None              # missing: an FPO box stands in, and a warning says so
    return (path, *_check_file(path, src))


def _check_file(path, src):
    """(problem or None, size as seen or None)."""
    if not path.is_file():
        return f"'{src}' is a folder or a device, not an image file", None
    try:
        with path.open("rb") as f:
            head = f.read(64).lstrip()
    except OSError as e:
        return f"'{src}' cannot be read ({e.strerror}); check the file's permissions", None
    if not head:
        return f"'{src}' is an empty file (0 bytes); copy or export the photo again", None
    kind = next((name for magic, name in NOT_PHOTOS if head.startswith(magic)), None)
    if kind:
        return f"'{src}' is {kind}, not a photo; export it as JPEG, PNG or TIFF at print size", None
    return _decode(_digest(path), path, src)


def _digest(path):
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


# The same bytes are decoded once per process: the preview server rebuilds on every save, and a
# 24-megapixel photo takes a few tenths of a second to decode.
@functools.lru_cache(maxsize=1024)
def _decode(digest, path, src):
    """Open the photo, check its format and pixel count, then decode every pixel:
    (problem or None, its size as seen or None)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")        # "Corrupt EXIF data" …: the verdict below says it
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                problem = _refused(im, src) or _load_whole(im, src)
                return problem, None if problem else upright_size(im)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return f"'{src}' has too many pixels to be a photo (decompression bomb?)", None
    except (OSError, ValueError, SyntaxError):
        return f"'{src}' {READABLE}", None


def _refused(im, src):
    width, height = im.size
    if im.format not in FORMATS:
        return f"'{src}' is a {im.format} file; use JPEG, PNG or TIFF"
    if width * height > MAX_PIXELS:
        return f"'{src}' is {width}×{height} pixels, more than the {MAX_PIXELS // 1_000_000} megapixels accepted"
    return None


def _load_whole(im, src):
    try:
        with truncated_refused():
            im.load()
    # Pillow's decoders raise many kinds of exception on a damaged file; each means the same here.
    except Exception as e:                      # noqa: BLE001
        return f"'{src}' is a damaged or truncated {im.format} file ({e}); copy or export the photo again"
    return None


@contextlib.contextmanager
def truncated_refused():
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES at import, which would decode a cut-off
    # file into a grey smear without a word; here a missing byte must raise.
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
