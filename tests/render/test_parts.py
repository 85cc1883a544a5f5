"""Drawn parts on disk: reused while their HTML and every file their layout read are unchanged,
drawn anew otherwise, and the same data whether drawn now or read back."""
import pikepdf

from periodical import build
from periodical.compose import compose
from periodical.render import parts, render

from ..conftest import write_issue


def issue_with_style(tmp_path):
    issue = write_issue(tmp_path / "2024-03")
    (issue / "style.css").write_text("p { color: black }", encoding="utf-8")
    loaded, _ = build.prepare(issue)
    return loaded


def page(html_body, first=1):
    """A part's HTML told its first page, as compose tells each part (another page, other HTML)."""
    return (f"<html lang='zh-CN'><link rel=stylesheet href='style.css'><style>@page {{ size: 100mm 100mm }}"
            f"</style><body data-first='{first}'>{html_body}</body></html>")


def test_a_part_is_reused_from_disk_until_its_html_or_a_file_it_read_changes(tmp_path):
    issue = issue_with_style(tmp_path)
    cache = parts.Parts(tmp_path / "parts", tmp_path / "photos", salt=b"code")
    kept = render.Layouts()
    html = page("<p id='a' data-item='x'>正文</p>")
    first = cache.get(html, issue, render.FONTS, (), ("a",), kept)
    assert first.new and first.pdf.is_file()
    # Another process (a new Parts, no layouts in memory) reads it back without laying it out.
    again = parts.Parts(tmp_path / "parts", tmp_path / "photos", salt=b"code").get(
        html, issue, render.FONTS, (), ("a",), render.Layouts())
    assert not again.new and again.pdf == first.pdf and again.facts == first.facts
    assert again.pages[0]["anchors"] == ["a"] and again.pages[0]["items"] == ["x"]
    # A file the layout read changes: drawn anew.
    (issue.root / "style.css").write_text("p { font-size: 30pt }", encoding="utf-8")
    assert cache.get(html, issue, render.FONTS, (), ("a",), kept).new
    # The same text told another first page, or other code: another part.
    assert cache.get(page("<p id='a'>正文</p>", first=2), issue, render.FONTS, (), ("a",), kept).new
    other_code = parts.Parts(tmp_path / "parts", tmp_path / "photos", salt=b"other code")
    assert other_code.get(html, issue, render.FONTS, (), ("a",), kept).new


def test_a_damaged_cache_entry_is_drawn_again(tmp_path):
    issue = issue_with_style(tmp_path)
    cache = parts.Parts(tmp_path / "parts", tmp_path / "photos")
    html = page("<p>正文</p>")
    first = cache.get(html, issue, render.FONTS, (), (), render.Layouts())
    first.pdf.with_suffix(".json").write_text("{not json", encoding="utf-8")
    assert cache.get(html, issue, render.FONTS, (), (), render.Layouts()).new


def test_a_link_to_another_part_is_drawn_as_a_name_for_the_stitcher(tmp_path):
    issue = issue_with_style(tmp_path)
    cache = parts.Parts(tmp_path / "parts", tmp_path / "photos")
    html = page("<p id='here'><a href='#here'>这里</a> <a href='#elsewhere'>别处</a></p>")
    drawn = cache.get(html, issue, render.FONTS, (), (), render.Layouts())
    with pikepdf.open(drawn.pdf) as pdf:
        annots = list(pdf.pages[0].obj.Annots)
        assert sorted(str(a.get("/Dest", "")) for a in annots) == ["", "here"]
        assert [str(a.A.URI) for a in annots if "/A" in a] == ["#elsewhere"]


def test_the_parts_of_a_built_issue_are_its_pages(tmp_path):
    # Every part of the minimal issue, drawn: page counts add up to the issue's, anchors start where
    # the articles do.
    issue = issue_with_style(tmp_path)
    cache = parts.Parts(tmp_path / "parts", tmp_path / "photos")
    from periodical.render import paginate
    rendered = paginate.lay_out(issue, render.FONTS, {}, cache, build._resources(issue), kept=render.Layouts())
    assert len(rendered.pages) == rendered.content_pages + rendered.filler_pages
    assert sum(len(pikepdf.open(p.pdf).pages) for p in rendered.parts) == len(rendered.pages)
    assert rendered.redrawn == list(range(1, len(rendered.pages) + 1))
    assert [rendered.starts[a.slug] for a in issue.articles] == sorted(rendered.starts[a.slug] for a in issue.articles)
    assert {p.name for p in compose.parts(issue)} >= {"cover", "contents", "back-cover"}
    # The next build (another Parts on the same folder) draws nothing and shows the same pages.
    later = parts.Parts(tmp_path / "parts", tmp_path / "photos")
    again = paginate.lay_out(issue, render.FONTS, {}, later, build._resources(issue), kept=render.Layouts())
    assert again.redrawn == [] and again.pages == rendered.pages


def test_parts_no_build_used_for_long_are_removed(tmp_path):
    import os
    import time
    issue = issue_with_style(tmp_path)
    cache = parts.Parts(tmp_path / "parts", tmp_path / "photos")
    old, used = (cache.get(page(f"<p>{text}</p>"), issue, render.FONTS, (), (), render.Layouts()) for text in "旧新")
    month_ago = time.time() - (parts.KEEP_DAYS + 1) * 86400
    for drawn in (old, used):
        os.utime(drawn.pdf.with_suffix(".json"), (month_ago, month_ago))
    assert not parts.Parts(tmp_path / "parts", tmp_path / "photos").get(
        page("<p>新</p>"), issue, render.FONTS, (), (), render.Layouts()).new      # reused: its time is now
    cache.prune()
    assert not old.pdf.exists() and not old.pdf.with_suffix(".json").exists()
    assert used.pdf.exists()
