"""Photos prepared for print: sizes, colour, orientation, cache, and the errors an editor can cause."""
from PIL import Image

from periodical import icc
from periodical.render import photos

from ..conftest import MINIMAL_YAML, run_cli, write_issue

INCH = photos.CSS_PX_PER_INCH
CMYK = str(icc.DEFAULT_CMYK)


def placed(width_in, height_in):
    size = (width_in * INCH, height_in * INCH)
    return photos.Placement("articles/a.md|images[0]", size, size)


def test_a_photo_is_resampled_to_the_ppi_asked_and_never_up(tmp_path):
    source = tmp_path / "big.jpg"
    Image.effect_noise((3000, 2000), 30).convert("RGB").save(source, quality=90)
    for ppi in (300, 200, 450):
        path, row = photos.prepare_one(source, placed(3, 2), photos.Settings(ppi, "cmyk", CMYK), tmp_path / "cache")
        with Image.open(path) as out:
            assert out.size == (3 * ppi, 2 * ppi) and out.mode == "CMYK"
        assert row["ppi"] == ppi and row["source_pixels"] == [3000, 2000]
    # 3000 pixels across 20 inches is 150 ppi: kept as they are, not invented.
    path, row = photos.prepare_one(source, placed(20, 13.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "cache")
    assert Image.open(path).size == (3000, 2000) and row["ppi"] == 150
    assert any("no upsampling" in step for step in row["done"])


def test_grey_stays_grey_transparency_goes_white_and_rgb_mode_keeps_rgb(tmp_path):
    grey, clear = tmp_path / "grey.jpg", tmp_path / "clear.png"
    Image.new("L", (600, 400), 90).save(grey)
    Image.new("RGBA", (600, 400), (255, 0, 0, 0)).save(clear)      # fully transparent red
    out, _ = photos.prepare_one(grey, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert Image.open(out).mode == "L"
    deep = tmp_path / "grey16.png"                                     # a 16-bit scan: mid grey, not white
    Image.new("I;16", (600, 400), 40000).save(deep)
    out, _ = photos.prepare_one(deep, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert Image.open(out).mode == "L" and 150 <= Image.open(out).getpixel((300, 200)) <= 160
    out, row = photos.prepare_one(clear, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert max(Image.open(out).getpixel((300, 200))) < 8             # white paper: no ink
    assert "transparency flattened onto white" in row["done"]
    out, _ = photos.prepare_one(clear, placed(2, 1.34), photos.Settings(300, "rgb", CMYK), tmp_path / "c")
    assert Image.open(out).mode == "RGB"


def test_adobe_rgb_and_another_printers_cmyk_are_converted_to_the_output_profile(tmp_path):
    adobe, other = tmp_path / "adobe.jpg", tmp_path / "other.jpg"
    folder = icc.DEFAULT_CMYK.parent
    Image.new("RGB", (600, 400), (30, 160, 60)).save(adobe, icc_profile=(folder / "a98.icc").read_bytes())
    Image.new("CMYK", (600, 400), (10, 80, 80, 0)).save(other, icc_profile=(folder / "ps_cmyk.icc").read_bytes())
    out, row = photos.prepare_one(adobe, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert Image.open(out).mode == "CMYK" and "→ CMYK for Artifex CMYK SWOP" in row["done"][1]
    assert not row["done"][1].startswith("sRGB")                      # its own profile, not assumed sRGB
    out, row = photos.prepare_one(other, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert Image.open(out).mode == "CMYK" and row["done"][1].startswith("CMYK ") and "→ CMYK" in row["done"][1]
    same = tmp_path / "same.jpg"
    Image.new("CMYK", (600, 400), (10, 80, 80, 0)).save(same, icc_profile=icc.DEFAULT_CMYK.read_bytes())
    _, row = photos.prepare_one(same, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert row["done"][1] == "kept CMYK"


def test_a_prepared_photo_is_made_once(tmp_path):
    source = tmp_path / "a.jpg"
    Image.new("RGB", (1200, 800), (10, 120, 200)).save(source)
    first, _ = photos.prepare_one(source, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    stamp = first.stat().st_mtime_ns
    again, row = photos.prepare_one(source, placed(2, 1.34), photos.Settings(300, "cmyk", CMYK), tmp_path / "c")
    assert again == first and again.stat().st_mtime_ns == stamp and row["done"]


def test_photo_ppi_above_450_is_refused(tmp_path):
    issue = write_issue(tmp_path / "2024-03", MINIMAL_YAML + "photo_ppi: 600\nphoto_colour: srgb\n")
    proc = run_cli("check", issue, cwd=tmp_path)
    assert proc.returncode == 2
    assert "photo_ppi: 600 is outside 150–450" in proc.stderr
    assert "photo_colour: 'srgb' is not one of: cmyk, rgb" in proc.stderr
