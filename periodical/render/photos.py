"""Photos prepared for print at the size the layout placed them.

A camera photo placed as it comes is 6000×4000 pixels for a 70 mm column: 1,800 ppi, a print
file of tens of megabytes for a RIP to throw away. Only the layout knows a photo's placed size,
so this runs after the issue is laid out with the originals: `prepare` makes each photo fit its
place, and `swap` puts the prepared files, which have the same proportions, into the laid-out
boxes in place of the originals: the pages do not move, and are not laid out again.

What is done to each photo, in order:
- decoded whole; its EXIF orientation applied (a phone portrait stored sideways stands upright);
- transparency flattened onto white, the paper (PDF/X would keep a soft mask, but a flat photo
  is what every RIP prints the same);
- resampled (Lanczos) to `photo_ppi` (300 unless issue.yaml says otherwise) at the size it is
  drawn — never up: a photo short of pixels keeps the ones it has, and the flatplan warns;
- colour: RGB converted with LittleCMS to the issue's CMYK output profile (relative colorimetric
  with black-point compensation: in-gamut colours stay as they are, the paper white maps to
  paper, the profile's ink limit is respected), unless `photo_colour: rgb` (then sRGB, which the
  write stage tags ICC-based for the press to convert); grey stays grey; CMYK stays CMYK, converted
  if it carries another printer's profile;
- written as JPEG, quality 92, no chroma subsampling.

Prepared files are cached under the cache folder by the source's bytes, the pixels wanted, the
profile and this recipe, so a rebuild prepares only what changed.
"""
import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image, ImageCms, ImageOps
import weasyprint
from weasyprint import images as weasyprint_images
from weasyprint.formatting_structure import boxes

from periodical.compose import compose
from periodical.errors import Problems, rel
from periodical.model import images
from periodical.render import render

PPI = 300                 # the press's resolution; `photo_ppi` in issue.yaml changes it
MAX_PPI = 450             # above this a RIP throws pixels away
QUALITY = 92
RECIPE = b"photos/1: exif, flatten white, lanczos, relcol+bpc, q92 444"
CSS_PX_PER_INCH = 96
MM_PER_INCH = 25.4
INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION


@dataclass(frozen=True)
class Placement:
    """Where the first layout put a photo: its box and the size the photo is drawn at (CSS px)."""
    item: str
    box: tuple            # (width, height) of the image box
    drawn: tuple          # (width, height) the photo covers: object-fit: cover may crop it


def placements(pages):
    """{photo item id: Placement} for every photo laid out on the pages (its img carries the id)."""
    found = {}
    for item, box in _photo_boxes(pages):
        if item not in found:
            found[item] = _placement(item, box)
    return {k: v for k, v in found.items() if v}


def swap(pages, prepared, cache_dir):
    """Draw the prepared photos in the laid-out pages in place of the originals.

    A prepared photo has its original's proportions, and the layout placed the original by its
    proportions alone (object-fit: cover in a box the CSS sizes), so the pages stand as they are:
    only the image each box draws changes, loaded as WeasyPrint loads an <img> (same image id,
    same drawing). The issue is not laid out a second time.
    """
    fetcher = render.IssueFetcher([cache_dir])
    loaded = {}
    for item, box in _photo_boxes(pages):
        url = prepared.get(item)
        if url is None:
            continue
        if url not in loaded:
            loaded[url] = weasyprint_images.get_image_from_uri(
                cache={}, url_fetcher=fetcher, options=weasyprint.DEFAULT_OPTIONS, url=url,
                orientation=box.style["image_orientation"])
            # WeasyPrint names an image by its URL, which holds the cache folder's path: the
            # file's own name, a hash of what made it, keeps the PDF the same wherever the cache is.
            loaded[url].id = Path(urlparse(url).path).stem
        box.replacement = loaded[url]


def _photo_boxes(pages):
    """(item id, image box) for every <img> with a data-item on the pages, in page order."""
    def visit(box):
        box = getattr(box, "_box", box)   # an absolutely positioned box (a page photo) stands in a placeholder
        if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img" and box.element.get("data-item"):
            yield box.element.get("data-item"), box
        for child in getattr(box, "children", ()):
            yield from visit(child)
    for page in pages:
        yield from visit(page._page_box)


def _placement(item, box):
    pixels = (getattr(box.replacement, "width", None), getattr(box.replacement, "height", None))
    if not all(isinstance(p, int) and p > 0 for p in pixels) or box.width <= 0 or box.height <= 0:
        return None                      # not a raster photo
    scale = max(box.width / pixels[0], box.height / pixels[1])       # object-fit: cover
    return Placement(item, (box.width, box.height), (pixels[0] * scale, pixels[1] * scale))


def prepare(issue, pages, cache_dir):
    """Prepare every placed photo; return ({item id: file URL}, report rows).

    Raises InputError naming each photo that cannot be decoded whole (a truncated file).
    """
    photos = {i.id: i for i in compose.inventory(issue) if i.image is not None and i.image.exists}
    settings = Settings.of(issue)
    prepared, rows, problems = {}, [], Problems()
    for item, placed in placements(pages).items():
        if item not in photos:
            continue
        photo = photos[item]
        try:
            path, row = prepare_one(issue.root / photo.image.src, placed, settings, Path(cache_dir))
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
            problems.add(rel(issue.root / photo.file), None, f"{photo.key}.src",
                         f"'{photo.image.src}' cannot be prepared for print: {e}; export the photo again")
            continue
        prepared[item] = path.as_uri()
        rows.append({"file": photo.file, "key": photo.key, "src": photo.image.src, **row})
    problems.raise_if_any()
    return prepared, rows


@dataclass(frozen=True)
class Settings:
    ppi: int
    colour: str           # "cmyk" or "rgb"
    profile: str          # the issue's CMYK output profile

    @classmethod
    def of(cls, issue):
        return cls(issue.meta.get("photo_ppi") or PPI, issue.meta.get("photo_colour") or "cmyk",
                   issue.meta["color_profile"])


def prepare_one(source, placed, settings, cache_dir):
    """(path of the prepared JPEG, report row) for one photo at its placed size."""
    data = source.read_bytes()
    with Image.open(io.BytesIO(data)) as header:
        stored, upright = header.size, images.upright_size(header)
    inches = [d / CSS_PX_PER_INCH for d in placed.drawn]
    factor = min(1.0, settings.ppi * inches[0] / upright[0], settings.ppi * inches[1] / upright[1])
    size = (max(1, math.ceil(upright[0] * factor)), max(1, math.ceil(upright[1] * factor)))
    profile = Path(settings.profile).read_bytes()
    key = hashlib.sha256(b"\0".join([hashlib.sha256(data).digest(), f"{size}:{settings.colour}".encode(),
                                     hashlib.sha256(profile).digest(), RECIPE])).hexdigest()[:24]
    target, notes = cache_dir / f"{key}.jpg", cache_dir / f"{key}.json"
    done = _cached(target, notes)
    if done is None:
        done = _make(data, size, settings, profile, target)
        render.atomic_write(notes, lambda f: f.write(json.dumps(done, ensure_ascii=False).encode()))
    ppi = min(size[0] / inches[0], size[1] / inches[1])
    return target, {"source_pixels": list(stored), "placed_mm": [round(d / CSS_PX_PER_INCH * MM_PER_INCH, 1)
                                                                 for d in placed.box],
                    "pixels": list(size), "ppi": round(ppi), "done": done}


def _cached(target, notes):
    """What was done to a prepared photo already in the cache, or None."""
    try:
        return json.loads(notes.read_text(encoding="utf-8")) if target.is_file() else None
    except (OSError, ValueError):
        return None


def _make(data, size, settings, profile, target):
    """Decode the whole photo, prepare it and write it to `target`; return the steps done."""
    with Image.open(io.BytesIO(data)) as original:
        with images.truncated_refused():     # the loader decoded it whole; a file changed since must not pass
            original.load()
        turned = images.orientation(original)
        image = ImageOps.exif_transpose(original)
    done = [f"EXIF orientation {turned} applied"] if turned != 1 else []
    image, steps = _convert(_flatten(image, done), settings, profile, size)
    target.parent.mkdir(parents=True, exist_ok=True)
    render.atomic_write(target, lambda f: image.save(f, "JPEG", quality=QUALITY, subsampling=0,
                                                     dpi=(settings.ppi, settings.ppi)))
    return done + steps


def _flatten(image, done):
    """The photo without transparency, on white; palette and 16-bit images in plain modes."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode.startswith(("I;16", "I")):          # 16-bit grey: scale, do not clip to white
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode in ("1", "F"):
        image = image.convert("L")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        base = image.mode[0] if image.mode[0] == "L" else "RGB"
        flat = Image.new(base, image.size, "white")
        flat.paste(image.convert(base + "A"), mask=image.getchannel("A"))
        done.append("transparency flattened onto white")
        flat.info = image.info
        image = flat
    return image


def _convert(image, settings, profile, size):
    """(image in its print colour at `size`, steps done) for a flat L, RGB or CMYK image."""
    if image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")                  # YCbCr, LAB, HSV …
    if size != image.size:
        steps = [f"resampled {image.width}×{image.height} → {size[0]}×{size[1]} (Lanczos)"]
        image = image.resize(size, Image.Resampling.LANCZOS)
    else:
        steps = [f"kept {image.width}×{image.height} pixels (no upsampling)"]
    image, step = _print_colour(image, settings, ImageCms.ImageCmsProfile(io.BytesIO(profile)), profile)
    image.info.pop("icc_profile", None)
    return image, steps + [step, f"JPEG quality {QUALITY}"]


def _print_colour(image, settings, output, output_bytes):
    """(image, step): RGB to the output CMYK (or sRGB), CMYK of another printer to ours, grey as it is."""
    embedded = image.info.get("icc_profile")
    name = ImageCms.getProfileDescription(output).strip()
    if image.mode == "L":
        return image, "kept grey"
    if image.mode == "CMYK" and (not embedded or embedded == output_bytes):
        return image, "kept CMYK"
    source, source_name = _source_profile(embedded, image.mode)
    if image.mode == "CMYK":
        return (ImageCms.profileToProfile(image, source, output, INTENT, "CMYK", flags=FLAGS),
                f"CMYK {source_name} → CMYK for {name}")
    if settings.colour == "rgb":
        if not embedded:
            return image, "kept RGB as sRGB (photo_colour: rgb)"
        return (ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), INTENT, "RGB", flags=FLAGS),
                f"{source_name} → sRGB (photo_colour: rgb)")
    return (ImageCms.profileToProfile(image, source, output, INTENT, "CMYK", flags=FLAGS),
            f"{source_name} → CMYK for {name} (relative colorimetric, black-point compensation)")


def _source_profile(embedded, mode):
    """The photo's own profile, or sRGB for RGB without one (or with one LittleCMS cannot read)."""
    if embedded:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
            return profile, ImageCms.getProfileDescription(profile).strip()
        except (ImageCms.PyCMSError, OSError, ValueError):
            if mode == "CMYK":
                raise ValueError("its embedded CMYK profile is unreadable") from None
    return ImageCms.createProfile("sRGB"), "sRGB"
