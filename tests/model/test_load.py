"""The loader: a validated model from good input, every problem with file, line and key from bad input."""
import pytest
from PIL import Image

from periodical.errors import InputError
from periodical.model.load import load_issue

from ..conftest import MINIMAL_YAML, write_issue


def problems(folder):
    with pytest.raises(InputError) as e:
        load_issue(folder)
    return [str(p) for p in e.value.problems]


def test_minimal_issue_loads_with_defaults(minimal_issue):
    issue = load_issue(minimal_issue)
    assert [a.slug for a in issue.articles] == ["01-first", "02-second"]
    assert issue.articles[0].section.title == "要闻"
    assert issue.articles[0].layout == "report" and issue.articles[0].toc is True
    assert issue.meta["frequency"] == "每月一期" and str(issue.meta["trim"]) == "210×285 mm"
    assert issue.articles[0].body_line == 5


def test_every_problem_of_a_run_is_reported_with_file_line_and_key(tmp_path):
    yaml_text = MINIMAL_YAML.replace("year: 2024", "year: 二〇二四").replace("date: 2024-03-20", "date: 2024-13-01")
    folder = write_issue(tmp_path / "bad", yaml_text, {
        "01-a.md": "---\ntitle: 甲\nsection: focuz\n---\n\n正文\n",
        "02-b.md": "没有前言\n",
        "03-c.md": "---\ntitle: [unclosed\n---\n\n正文\n",
        "04-d.md": "---\ntitle: 乙\nsection: news\n---\n",
    })
    found = problems(folder)
    expected = [
        "bad/issue.yaml:2: year: must be whole number",
        "bad/issue.yaml:5: date: must be date (YYYY-MM-DD)",
        "bad/articles/01-a.md:3: section: 'focuz' is not a declared section (news, views)",
        "bad/articles/02-b.md:1: no front matter",
        "bad/articles/03-c.md:3: YAML syntax error",
        "bad/articles/04-d.md:5: the article has no body text",
    ]
    for start in expected:
        assert any(start in p for p in found), (start, found)
    assert len(found) == len(expected)


def test_unknown_key_suggests_the_near_one(minimal_issue):
    (minimal_issue / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\nsubtitel: 乙\n---\n\n正文\n", encoding="utf-8")
    assert any("01-first.md:4: subtitel: unknown key (did you mean 'subtitle'?)" in p for p in problems(minimal_issue))


def test_encoding_problems_are_reported(minimal_issue):
    (minimal_issue / "articles" / "01-first.md").write_bytes(
        b"\xef\xbb\xbf---\ntitle: x\nsection: news\n---\n\n\xff\n")
    found = problems(minimal_issue)
    assert any("01-first.md:1: file starts with a byte-order mark" in p for p in found)
    assert any("01-first.md:6: not valid UTF-8" in p for p in found)


def test_pages_must_follow_file_order(minimal_issue):
    for name, page in (("01-first.md", 9), ("02-second.md", 4)):
        path = minimal_issue / "articles" / name
        path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", f"page: {page}\n---\n\n", 1), encoding="utf-8")
    assert any("02-second.md: page: page 4 comes before page 9" in p for p in problems(minimal_issue))


def test_missing_issue_yaml_and_empty_issue(tmp_path):
    (tmp_path / "empty").mkdir()
    found = problems(tmp_path / "empty")
    assert any("issue.yaml: missing" in p for p in found)
    assert any("articles: no article files" in p for p in found)


def test_images_are_marked_missing_or_present(minimal_issue):
    (minimal_issue / "images").mkdir()
    Image.new("RGB", (40, 30), "red").save(minimal_issue / "images" / "a.png")
    path = minimal_issue / "articles" / "01-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n\n", "images:\n  - {src: images/a.png}\n  - {src: images/b.jpg, size: wide}\n---\n\n", 1), encoding="utf-8")
    images = load_issue(minimal_issue).articles[0].images
    assert [(i.src, i.exists, i.size) for i in images] == [("images/a.png", True, "column"), ("images/b.jpg", False, "wide")]


def test_a_photo_anchored_after_text_the_body_lacks_or_not_between_paragraphs_is_refused_by_line(minimal_issue):
    path = minimal_issue / "articles" / "01-first.md"
    body = path.read_text(encoding="utf-8").split("---\n\n", 1)[1]
    anchor = body.strip().split("\n")[0][:6]           # the first paragraph's first words
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", (
        "images:\n"
        f"  - {{src: images/a.png, after: '{anchor}'}}\n"      # found: no problem
        "  - {src: images/b.png, after: 没有这段话}\n"
        f"  - {{src: images/c.png, size: wide, after: '{anchor}'}}\n"
        "  - {src: images/d.png, after: '，。'}\n"
        "---\n\n"), 1), encoding="utf-8")
    found = [p for p in problems(minimal_issue) if ".after" in p]
    text = path.read_text(encoding="utf-8").splitlines()
    lines = {key: 1 + next(n for n, line in enumerate(text) if src in line)
             for key, src in (("images[1].after", "b.png"), ("images[2].after", "c.png"), ("images[3].after", "d.png"))}
    assert len(found) == 3, found
    for key, line in lines.items():
        assert any(f"01-first.md:{line}: {key}:" in p for p in found), (key, found)
    assert any("没有这段话" in p for p in found) and any("wide photo" in p for p in found)


def test_a_yaml_error_names_the_key_of_its_line_and_what_to_do(minimal_issue):
    # The error editors meet most: a value with “: ” in it, unquoted (YAML reads a second mapping).
    (minimal_issue / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\nsubtitle: 时间: 上午九时\n---\n\n正文\n", encoding="utf-8")
    (minimal_issue / "issue.yaml").write_text(
        (minimal_issue / "issue.yaml").read_text(encoding="utf-8") + "cover:\n\theadline: 乙\n", encoding="utf-8")
    found = problems(minimal_issue)
    assert any(("2024-03/articles/01-first.md:4: subtitle: YAML syntax error: mapping values are not "
                "allowed here; a value holding “: ”") in p and 'must be quoted: caption: "时间: 上午"' in p
               for p in found), found
    assert any("issue.yaml:" in p and "YAML syntax error" in p and "indent with spaces, not tabs" in p for p in found), found
