"""What a build keeps between runs, and that it never keeps too much.

A rebuild reuses the last build's outputs (when nothing changed), its font subsets, its fitted
photo scales and page pictures (on disk), and, in a process that builds again, its laid-out
parts (render.KEPT), and its drawn parts (render/parts.py, on disk). Each edit below — a
template, a font, an article, issue.yaml, an article that moves the next one — must change the
outputs and give the very bytes a clean build (new process, empty caches) gives.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from periodical.render import render

from .conftest import PARAGRAPH, ROOT, write_issue

OUTPUTS = ("print.pdf", "archive.pdf")


def _starts(out):
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {a["slug"]: a["start"] for a in report["articles"]}


def build(issue, out, cache, layouts, fonts):
    env = dict(os.environ, PERIODICAL_CACHE=str(cache), PERIODICAL_LAYOUTS=str(layouts), PERIODICAL_FONTS=str(fonts))
    proc = subprocess.run([sys.executable, str(ROOT / "make_issue.py"), "build", str(issue), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return {name: (out / name).read_bytes() for name in OUTPUTS}, proc.stderr


def test_each_kind_of_edit_rebuilds_to_the_bytes_of_a_clean_build(tmp_path):
    issue = write_issue(tmp_path / "2024-03")
    layouts, fonts = tmp_path / "layouts", tmp_path / "fonts"
    shutil.copytree(ROOT / "layouts", layouts)
    fonts.mkdir()
    for face in (ROOT / "fonts").glob("*.otf"):
        (fonts / face.name).symlink_to(face)

    def serif_regular_is_bold():
        (fonts / "NotoSerifSC-Regular.otf").unlink()
        (fonts / "NotoSerifSC-Regular.otf").symlink_to(ROOT / "fonts" / "NotoSerifSC-Bold.otf")

    def edit(path, old, new):
        def change():
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new), encoding="utf-8")
        return change

    edits = {
        "template": edit(layouts / "magazine.css", "--red: device-cmyk(0 1 0.8 0.05);", "--red: device-cmyk(0 1 1 0);"),
        "font": serif_regular_is_bold,
        "article": edit(issue / "articles" / "01-first.md", "这是第二段正文。", "这是改过的第二段正文。"),
        "issue.yaml": edit(issue / "issue.yaml", "print_run: 500", "print_run: 800"),
        # The first article takes pages more: the second's part starts later (other folios, other
        # left and right pages), and the contents prints its new number.
        "moved": edit(issue / "articles" / "01-first.md", "这是改过的第二段正文。",
                      "\n\n".join(["这是改过的第二段正文，" + PARAGRAPH] * 120)),
    }
    kept, cache = tmp_path / "out", tmp_path / "cache"
    second_starts = []
    before, _ = build(issue, kept, cache, layouts, fonts)
    again, log = build(issue, kept, cache, layouts, fonts)
    assert again == before and "up to date" in log
    for n, (what, change) in enumerate(edits.items()):
        change()
        rebuilt, log = build(issue, kept, cache, layouts, fonts)
        clean, _ = build(issue, tmp_path / f"clean-{n}", tmp_path / f"clean-cache-{n}", layouts, fonts)
        assert "up to date" not in log, what
        for name in OUTPUTS:
            assert rebuilt[name] != before[name], f"{what}: {name} did not change"
            assert rebuilt[name] == clean[name], f"{what}: {name} differs from a clean build's"
        before = rebuilt
        second_starts.append(_starts(kept)["02-second"])
    assert second_starts[-1] > second_starts[-2]          # the "moved" edit did move the second article


def test_a_kept_layout_is_used_again_until_a_file_it_read_changes(tmp_path):
    issue = tmp_path / "issue"
    issue.mkdir()
    shutil.copy(ROOT / "layouts" / "preview" / "preview.css", issue / "style.css")
    html = "<link rel=stylesheet href='style.css'><p>正文</p>"
    kept = render.Layouts()
    first = kept.get(html, issue, render.FONTS, ())
    assert kept.get(html, issue, render.FONTS, ()) is first
    (issue / "style.css").write_text("p { font-size: 30pt }", encoding="utf-8")
    second = kept.get(html, issue, render.FONTS, ())
    assert second is not first
    assert kept.get(html + " ", issue, render.FONTS, ()) is not second        # other HTML, another layout
    kept.keep_used()
    assert len(kept.kept) == 2
    kept.keep_used()                                                          # nothing used since
    assert kept.kept == {}


def test_a_build_stopped_after_writing_its_pdfs_is_not_taken_for_up_to_date(tmp_path, monkeypatch):
    # Stopped (Ctrl-C, a newer save) between writing the PDFs and the report, then the edit undone:
    # the inputs are the last report's again, but the PDFs are not the files it describes.
    from periodical import build as pipeline
    from periodical.check import check
    issue, out = write_issue(tmp_path / "2024-03"), tmp_path / "out"
    monkeypatch.setattr(pipeline, "CACHE", tmp_path / "cache")
    pipeline.build(issue, out, progress=lambda m: None)
    good = (out / "print.pdf").read_bytes()
    article = next((issue / "articles").glob("*.md"))
    original = article.read_text(encoding="utf-8")
    article.write_text(original + "\n\n这是后来加上的一段。\n", encoding="utf-8")

    def stop(*args):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(check, "verify", stop)       # the first step after the PDFs are written
        with pytest.raises(KeyboardInterrupt):
            pipeline.build(issue, out, progress=lambda m: None)
    assert (out / "print.pdf").read_bytes() != good
    article.write_text(original, encoding="utf-8")
    log = []
    pipeline.build(issue, out, progress=log.append)
    assert not any("up to date" in line for line in log)
    assert (out / "print.pdf").read_bytes() == good
    pipeline.build(issue, out, progress=log.append)
    assert "up to date" in log[-1]
