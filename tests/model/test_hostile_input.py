"""Hostile and messy input, round two: YAML bombs, oversized files and broken photos are input
errors with file, line and key, refused within bounded time and memory."""
import pytest
from PIL import Image

from periodical.errors import InputError
from periodical.model.load import MAX_DEPTH, MAX_FILE, MAX_YAML, load_issue

from ..bounded import run_bounded
from ..conftest import MINIMAL_ARTICLES, MINIMAL_YAML, write_issue


def alias_bomb(levels=9):
    """The billion laughs: each list repeats the one before nine times, 9**9 leaves from ~500 bytes."""
    lines = ["bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"bomb{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def problems(folder):
    with pytest.raises(InputError) as e:
        load_issue(folder)
    return [str(p) for p in e.value.problems]


def test_an_alias_bomb_is_refused_with_file_and_line_within_bounds(tmp_path):
    first_line = MINIMAL_YAML.count("\n") + 1
    write_issue(tmp_path / "bomb", MINIMAL_YAML + alias_bomb())
    proc = run_bounded("build", "bomb", "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"bomb/issue.yaml:{first_line}: anchors and aliases (&name, *name) are not accepted" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


def test_the_same_bounds_build_a_normal_issue(tmp_path):
    # The limits are not what refuses the bomb: a small issue builds under them.
    write_issue(tmp_path / "small")
    proc = run_bounded("build", "small", "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "out" / "print.pdf").is_file()


def test_an_alias_bomb_in_front_matter_is_refused_at_its_line(minimal_issue):
    (minimal_issue / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\n" + alias_bomb() + "---\n\n正文\n", encoding="utf-8")
    assert any("01-first.md:4: anchors and aliases" in p for p in problems(minimal_issue))


@pytest.mark.parametrize("yaml_text, line, message", [
    ("title: &t 甲\nsection: news\n", 2, "anchors and aliases (&name, *name) are not accepted"),
    ("title: 甲\n<<: {section: news}\n", 3, "merge keys (<<) are not accepted"),
    ("title: 甲\nsection: news\nkicker: " + "[" * 200 + "\n", 4, f"nested more than {MAX_DEPTH} levels deep"),
    ("title: " + "甲" * MAX_YAML + "\n", 2, f"at most {MAX_YAML:,} are accepted"),
], ids=["anchor", "merge key", "deep", "long"])
def test_yaml_beyond_what_editors_need_is_refused_at_its_line(minimal_issue, yaml_text, line, message):
    (minimal_issue / "articles" / "01-first.md").write_text(f"---\n{yaml_text}---\n\n正文\n", encoding="utf-8")
    found = problems(minimal_issue)
    assert any(f"01-first.md:{line}: " in p and message in p for p in found), found


def test_a_huge_file_is_refused_without_reading_it_whole(minimal_issue):
    with open(minimal_issue / "articles" / "03-huge.md", "wb") as f:
        f.write(MINIMAL_ARTICLES["01-first.md"].encode())
        f.truncate(MAX_FILE * 50)                     # sparse: 200 MB on paper, nothing on disk
    assert any(f"03-huge.md: the file is larger than {MAX_FILE // 1_000_000} MB" in p for p in problems(minimal_issue))


def test_file_names_that_cannot_be_printed_are_refused(tmp_path):
    articles = write_issue(tmp_path / "i") / "articles"
    (articles / "02-second.md").rename(articles / "02-\udcff\udcfe.md")      # the bytes ff fe: not UTF-8
    (articles / "01-first.md").rename(articles / "01-fir\nst.md")
    (tmp_path / "i" / "images").mkdir()
    with open(bytes(tmp_path / "i" / "images") + "/照片.jpg".encode("gbk"), "wb") as f:   # unzipped from Windows
        f.write(b"not used by any article")
    proc = run_bounded("build", "i", "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "the file name is not valid UTF-8 or holds control characters" in proc.stderr
    assert "i/articles/02-\\udcff\\udcfe.md: the file name" in proc.stderr
    assert "i/articles/01-fir\\nst.md: the file name" in proc.stderr
    assert "i/images/\\udcd5\\udcd5Ƭ.jpg: the file name" in proc.stderr     # C6 AC happens to be UTF-8
    assert "3 problem(s)" in proc.stderr


def test_an_article_that_is_not_a_plain_file_is_refused(minimal_issue):
    (minimal_issue / "articles" / "03-device.md").symlink_to("/dev/zero")
    (minimal_issue / "articles" / "04-loop.md").symlink_to("04-loop.md")
    found = problems(minimal_issue)
    assert any("03-device.md: not a plain file" in p for p in found), found
    assert any("04-loop.md: not a plain file" in p for p in found), found


def test_symbolic_link_loops_are_input_errors(minimal_issue):
    (minimal_issue / "images").mkdir()
    (minimal_issue / "images" / "a.jpg").symlink_to("b.jpg")
    (minimal_issue / "images" / "b.jpg").symlink_to("a.jpg")
    (minimal_issue / "loop.icc").symlink_to("loop.icc")
    (minimal_issue / "issue.yaml").write_text(MINIMAL_YAML + "color_profile: loop.icc\n", encoding="utf-8")
    (minimal_issue / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\nimages: [{src: images/a.jpg}]\n---\n\n正文![图](images/b.jpg)\n", encoding="utf-8")
    found = problems(minimal_issue)
    assert any("01-first.md:4: images[0].src: 'images/a.jpg' is a symbolic link that points to itself" in p
               for p in found), found
    assert any("issue.yaml:14: color_profile: loop.icc is a symbolic link that points to itself" in p
               for p in found), found


# --- photos: decoded completely before they are trusted ---

def photo_files(folder):
    """Every kind of broken photo an editor or a bad download leaves, made with Pillow."""
    images = folder / "images"
    images.mkdir()
    photo = Image.effect_mandelbrot((1200, 900), (-2, -1.5, 1, 1.5), 60).convert("RGB")
    photo.save(images / "whole.jpg", quality=90)
    jpeg = (images / "whole.jpg").read_bytes()
    assert len(jpeg) > 20_000
    (images / "cut.jpg").write_bytes(jpeg[:5000])              # the first 5 KB of a photo
    (images / "empty.jpg").write_bytes(b"")
    (images / "drawing.jpg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    (images / "note.png").write_text("this is not a picture\n")
    photo.save(images / "page.pdf")
    (images / "page.jpg").write_bytes((images / "page.pdf").read_bytes())
    photo.save(images / "web.webp")
    photo.save(images / "whole.png")
    png = (images / "whole.png").read_bytes()
    (images / "cut.png").write_bytes(png[:len(png) // 2])
    (images / "folder.jpg").mkdir()
    return ["whole.jpg", "cut.jpg", "empty.jpg", "drawing.jpg", "note.png", "page.jpg", "web.webp",
            "cut.png", "folder.jpg", "whole.png"]


def test_broken_photos_are_input_errors_naming_article_line_key_and_file(tmp_path):
    folder = write_issue(tmp_path / "i")
    names = photo_files(folder)
    listed = "".join(f"  - {{src: images/{n}}}\n" for n in names)
    (folder / "articles" / "01-first.md").write_text(
        f"---\ntitle: 甲\nsection: news\nimages:\n{listed}---\n\n正文\n", encoding="utf-8")
    found = problems(folder)
    expected = {
        "cut.jpg": "is a damaged or truncated JPEG file (image file is truncated",
        "empty.jpg": "is an empty file (0 bytes)",
        "drawing.jpg": "is an SVG drawing, not a photo",
        "note.png": "is not a readable image (JPEG, PNG, TIFF)",
        "page.jpg": "is a PDF file, not a photo",
        "web.webp": "is a WEBP file; use JPEG, PNG or TIFF",
        "cut.png": "is a damaged or truncated PNG file",
        "folder.jpg": "is a folder or a device, not an image file",
    }
    for n, name in enumerate(names):
        if name in expected:
            start = f"i/articles/01-first.md:{5 + n}: images[{n}].src: 'images/{name}' {expected[name]}"
            assert any(start in p for p in found), (start, found)
    assert len(found) == len(expected), found         # the whole JPEG and PNG are accepted


def test_the_command_refuses_a_truncated_and_an_empty_photo_with_article_line_and_key(tmp_path):
    folder = write_issue(tmp_path / "i")
    photo_files(folder)
    (folder / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\nimages:\n  - {src: images/whole.jpg}\n  - {src: images/cut.jpg}\n"
        "  - {src: images/empty.jpg}\n---\n\n正文\n", encoding="utf-8")
    proc = run_bounded("build", "i", "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    cut, empty, summary = proc.stderr.splitlines()
    assert cut.startswith("i/articles/01-first.md:6: images[1].src: 'images/cut.jpg' is a damaged or truncated "
                          "JPEG file (image file is truncated")
    assert empty == ("i/articles/01-first.md:7: images[2].src: 'images/empty.jpg' is an empty file (0 bytes); "
                     "copy or export the photo again")
    assert summary.startswith("2 problem(s) in the input")
    assert not (tmp_path / "out").exists()


def test_a_truncated_photo_is_refused_even_after_weasyprint_allowed_truncated_images(tmp_path):
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES at import)
    from PIL import ImageFile
    folder = write_issue(tmp_path / "i")
    photo_files(folder)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    (folder / "issue.yaml").write_text(MINIMAL_YAML + "cover:\n  image: {src: images/cut.jpg}\n", encoding="utf-8")
    line = MINIMAL_YAML.count("\n") + 2
    assert any(f"i/issue.yaml:{line}: cover.image.src: 'images/cut.jpg' is a damaged or truncated JPEG" in p
               for p in problems(folder))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True       # WeasyPrint's setting is left as it was


def test_a_decompression_bomb_is_refused_before_it_is_decoded(tmp_path):
    folder = write_issue(tmp_path / "i")
    (folder / "images").mkdir()
    Image.new("1", (12000, 8000)).save(folder / "images" / "bomb.png")   # 96 megapixels in a few KB
    (folder / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\nimages: [{src: images/bomb.png}]\n---\n\n正文\n", encoding="utf-8")
    found = problems(folder)
    assert any("01-first.md:4: images[0].src: 'images/bomb.png' has too many pixels" in p for p in found), found
