"""Bad and hostile input: every problem reported, nothing fetched from outside, bounded work, nothing lost."""
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pypdf
import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from periodical import build as pipeline
from periodical.errors import InputError
from periodical.model.load import load_issue
from periodical.output.outputs import OUTPUTS
from periodical.render import render

from . import pdftext
from .conftest import ISSUE148, MINIMAL_YAML, ROOT, run_cli, write_issue


def article(body, extra=""):
    return f"---\ntitle: 测试\nsection: news\n{extra}---\n\n{body}\n"


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], requests
    server.shutdown()


def test_photos_are_checked_before_anything_decodes_them(tmp_path):
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article("正文", (
        "images:\n  - {src: /etc/passwd}\n  - {src: ../../etc/hostname}\n  - {src: images/notimage.jpg}\n"
        "  - {src: images/bomb.png}\n  - {src: images/link.jpg}\n  - {src: images/missing.jpg}\n"))})
    (folder / "images").mkdir()
    (folder / "images" / "notimage.jpg").write_text("hello", encoding="utf-8")
    Image.new("1", (9000, 8000)).save(folder / "images" / "bomb.png")     # 72 megapixels, a few KB
    (folder / "images" / "link.jpg").symlink_to("/etc/hostname")
    with pytest.raises(InputError) as e:
        load_issue(folder)
    found = "\n".join(str(p) for p in e.value.problems)
    assert "01-a.md:5: images[0].src: '/etc/passwd' must be a path inside the issue folder" in found
    assert "01-a.md:6: images[1].src: '../../etc/hostname' points outside the issue folder" in found
    assert "images[2].src: 'images/notimage.jpg' is not a readable image" in found
    assert "images[3].src: 'images/bomb.png' is 9000×8000 pixels" in found
    assert "images[4].src: 'images/link.jpg' points outside the issue folder" in found
    assert "missing.jpg" not in found                     # a missing photo is an FPO box, not an error
    assert len(e.value.problems) == 5


def test_body_references_outside_the_issue_are_refused_and_nothing_is_fetched(tmp_path, listener):
    port, requests = listener
    body = (f"![a](/etc/passwd)\n\n![b](../../etc/passwd)\n\n![c](http://127.0.0.1:{port}/x.png)\n\n"
            f"<img src=\"http://127.0.0.1:{port}/raw.png\">\n")
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article(body)})
    proc = run_cli("check", folder)
    assert proc.returncode == 2
    for line, what in ((6, "/etc/passwd"), (8, "../../etc/passwd"), (10, f"http://127.0.0.1:{port}/x.png")):
        assert f"01-a.md:{line}: image '{what}'" in proc.stderr, proc.stderr
    assert "raw.png" not in proc.stderr                   # raw HTML is text, never an element
    assert requests == []


def test_the_renderer_fetches_only_inside_the_allowed_folders(tmp_path, listener):
    port, requests = listener
    html = (f"<html><head><link rel=stylesheet href='http://127.0.0.1:{port}/s.css'></head><body>"
            f"<img src='file:///etc/passwd'><img src='http://127.0.0.1:{port}/a.png'>"
            f"<img src='ftp://127.0.0.1:{port}/b.png'><p>正文</p></body></html>")
    (tmp_path / "issue").mkdir()
    rendered = render.layout(html, tmp_path / "issue")
    assert requests == []
    assert set(rendered.refused) == {"file:///etc/passwd", f"http://127.0.0.1:{port}/a.png",
                                     f"ftp://127.0.0.1:{port}/b.png", f"http://127.0.0.1:{port}/s.css"}
    render.write_pdf(rendered.document, tmp_path / "x.pdf")
    assert "root:" not in "".join(p.extract_text() for p in pypdf.PdfReader(str(tmp_path / "x.pdf")).pages)


def test_raw_html_is_printed_as_text(tmp_path):
    folder = write_issue(tmp_path / "i", MINIMAL_YAML,
                         {"01-a.md": article("前文<script>alert(1)</script><b>粗</b>后文")})
    report = pipeline.build(folder, tmp_path / "out", progress=lambda m: None)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(tmp_path / "out" / "print.pdf")).pages)
    assert "<script>alert(1)</script><b>粗</b>" in text.replace("\n", "")
    assert report["problems"] == []


def test_a_word_with_no_break_wraps_instead_of_running_off_the_page(tmp_path):
    word = "a" * 20_000
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article(word)})
    pipeline.build(folder, tmp_path / "out", progress=lambda m: None)
    text = "".join(pdftext.pages_text(tmp_path / "out" / "archive.pdf"))
    assert text.count("a") >= 20_000                        # nothing cut off
    # Every character, left and right edge, stands inside the trim (the archive's MediaBox is the trim).
    doc = pypdfium2.PdfDocument(str(tmp_path / "out" / "archive.pdf"))
    try:
        for n in range(len(doc)):
            width = doc[n].get_width()
            textpage = doc[n].get_textpage()
            boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
            assert all(0 <= left and right <= width for left, _, right, _ in boxes), n + 1
    finally:
        doc.close()


@pytest.mark.parametrize("body, message", [
    ("\n".join("  " * i + "- 项" for i in range(5000)), "01-a.md:10: lists nested 5 levels deep"),
    ("这是很长的段落。" * 130_000, "01-a.md:6: a paragraph of 1,040,000 characters"),
], ids=["5000-nested-items", "1MB-paragraph"])
def test_pathological_bodies_end_quickly_with_a_clear_report(tmp_path, body, message):
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article(body)})
    proc = run_cli("build", folder, "--out", tmp_path / "out")       # run_cli bounds it at 600 s
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_duplicate_article_files_are_reported(minimal_issue):
    src = minimal_issue / "articles" / "01-first.md"
    (minimal_issue / "articles" / "01-first-copy.md").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_issue(minimal_issue)
    assert "01-first.md: title: same title and page as 01-first-copy.md" in str(e.value)


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    target = tmp_path / "print.pdf"
    target.write_bytes(b"previous")

    def crash(f):
        f.write(b"half a pdf")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        render.atomic_write(target, crash)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["print.pdf"]


def test_an_interrupted_build_leaves_the_previous_outputs(minimal_issue, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", minimal_issue, "--out", out).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # Issue 148 from an empty cache takes long enough to be stopped while WeasyPrint lays it out
    # (with its parts drawn on disk it is written within a second).
    proc = subprocess.Popen([sys.executable, str(ROOT / "make_issue.py"), "build", str(ISSUE148), "--out", str(out)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PERIODICAL_CACHE=str(tmp_path / "cold")))
    assert "load+text" in proc.stderr.readline()
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 130
    assert "interrupted; the previous outputs are untouched" in proc.stderr.read()
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_two_builds_at_once_do_not_corrupt_each_other(minimal_issue, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, str(ROOT / "make_issue.py"), "build", str(minimal_issue), "--out", str(out)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert sorted(p.name for p in out.iterdir()) == sorted([o.file for o in OUTPUTS] + ["preflight.json", "preview",
                                                                                        "report.json"])
    assert len(pypdf.PdfReader(str(out / "print.pdf")).pages) == 8
    shown = json.loads((out / "preview" / "preview.json").read_text(encoding="utf-8"))["pages"]
    assert all((out / "preview" / "pages" / f"{p['image']}.png").is_file() for p in shown)


# Property tests: front matter valid by construction builds and prints every paragraph; front
# matter with one field broken is refused, naming the article. Each test counts its examples.
cjk = st.text(alphabet=st.sampled_from("政协委员会议提案工作建言一二三年月日，。、：；！？“”（）"), min_size=1, max_size=60)
latin = st.text(alphabet=st.sampled_from("abcXYZ0123456789 ,.:;!?()-"), min_size=1, max_size=20)
paragraph = st.lists(st.one_of(cjk, latin), min_size=1, max_size=4).map("".join).filter(lambda s: s.strip())
valid_front = st.fixed_dictionaries({"title": cjk.filter(lambda s: any("\u4e00" <= c <= "\u9fff" for c in s)),
                                     "section": st.sampled_from(["news", "views"])},
                                    optional={"toc": st.booleans(),
                                              "layout": st.sampled_from(["report", "news", "advice"])})
BROKEN = {"title": st.sampled_from(["", " "]), "section": st.sampled_from(["nope", ""]),
          "page": st.text(alphabet="abc", min_size=1, max_size=3), "toc": st.just("no"),
          "layout": st.just("bogus"), "sectoin": st.just("news")}
invalid_front = st.tuples(valid_front, st.sampled_from(sorted(BROKEN))).flatmap(
    lambda fk: BROKEN[fk[1]].map(lambda bad: {**fk[0], fk[1]: bad}))


def _write(folder, front, paragraphs):
    import yaml
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + "\n\n".join(paragraphs) + "\n"
    return write_issue(folder / "i", MINIMAL_YAML, {"01-a.md": text})


def test_valid_articles_build_and_print_every_paragraph(tmp_path_factory):
    built = []

    @settings(max_examples=6, deadline=None, database=None)
    @given(front=valid_front, paragraphs=st.lists(paragraph, min_size=1, max_size=4))
    def case(front, paragraphs):
        folder = tmp_path_factory.mktemp("valid")
        pipeline.build(_write(folder, front, paragraphs), folder / "out", progress=lambda m: None)
        printed = "".join(p.extract_text() for p in pypdf.PdfReader(str(folder / "out" / "print.pdf")).pages)
        squeeze = lambda s: "".join(ch for ch in s if ch.isalnum() or "\u4e00" <= ch <= "\u9fff")
        for para in paragraphs:
            # "1) …" makes an ordered list: its number is the list marker, drawn after the item's text.
            text = re.sub(r"^\s*\d{1,9}[.)](?=\s)", "", para)
            assert squeeze(text) in squeeze(printed), para
        built.append(front)
    case()
    assert len(built) >= 5


def test_articles_with_a_broken_field_are_refused_with_the_file_named(tmp_path_factory):
    refused = []

    @settings(max_examples=30, deadline=None, database=None)
    @given(front=invalid_front, paragraphs=st.lists(paragraph, min_size=0, max_size=2))
    def case(front, paragraphs):
        folder = _write(tmp_path_factory.mktemp("invalid"), front, paragraphs)
        with pytest.raises(InputError) as e:
            pipeline.prepare(folder)
        assert e.value.problems and all(p.file.endswith("01-a.md") for p in e.value.problems)
        refused.append(front)
    case()
    assert len(refused) >= 20


def test_a_table_wider_than_the_page_is_printed_whole(tmp_path):
    # CommonMark has no tables: a pasted pipe table is text, and its long lines wrap inside the column.
    row = "|" + "|".join(f"列{n}数据" for n in range(120)) + "|"
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article(f"{row}\n|{'---|' * 120}\n{row}")})
    pipeline.build(folder, tmp_path / "out", progress=lambda m: None)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(tmp_path / "out" / "print.pdf")).pages)
    text = "".join(text.split())       # extractors infer a space at each quarter-em Han–digit gap
    assert all(f"列{n}数据" in text for n in range(120))


def test_text_beyond_the_planned_pages_is_reported_not_dropped(tmp_path):
    sentence = "委员们围绕推动高质量发展建言献策，提出了许多具有前瞻性和可操作性的意见建议。"
    body = "\n\n".join(f"第{n}段。" + sentence * 12 for n in range(40))
    folder = write_issue(tmp_path / "i", MINIMAL_YAML + "pages: 4\n", {"01-a.md": article(body)})
    proc = run_cli("build", folder, "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    pages = len(pypdf.PdfReader(str(tmp_path / "out" / "print.pdf")).pages)
    assert pages > 4 and pages % 4 == 0
    assert re.search(r"^problem: the content needs \d+ pages, more than the planned 4$", proc.stdout, re.M)
    # Every paragraph is printed whole, in order: nothing was cut to fit the plan.
    text = re.sub(r"\s", "", pdftext.body_text(tmp_path / "out" / "archive.pdf", exact=True))
    assert text.count(sentence) == 40 * 12
    assert [int(n) for n in re.findall(r"第(\d+)段。", text)] == list(range(40))


def test_an_ordered_list_prints_the_numbers_it_was_written_with(tmp_path):
    folder = write_issue(tmp_path / "i", MINIMAL_YAML, {"01-a.md": article("6. 第六条意见\n7. 第七条意见")})
    pipeline.build(folder, tmp_path / "out", progress=lambda m: None)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(tmp_path / "out" / "print.pdf")).pages)
    # The markers are drawn after the items' text; before the fix they read 1. 2.
    assert re.search(r"第六条意见\s*第七条意见\s*6\.\s*7\.", text), text
