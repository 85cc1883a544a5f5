"""The preview's fast path: a saved edit shows its pages before the issue's PDFs are written.

The server lays the edited run out at its last photo scale, draws only the pages laid out anew
and shows them (status "writing"); print.pdf, archive.pdf and the checks follow, and replace the
draft. A newer save stops a build still running.
"""
import http.client
import json
import re

from periodical import build as pipeline
from periodical.preview import preview, raster, serve

from ..conftest import PARAGRAPH, write_flow_issue
from .test_serve import Server

IMAGE = re.compile(r'id="page-(\d+)".*?src="pages/([0-9a-f]+)\.thumb\.png"', re.S)


def events(server):
    """The server's states, one at a time, from its event stream."""
    connection = http.client.HTTPConnection("127.0.0.1", int(re.search(r":(\d+)/", server.url).group(1)), timeout=300)
    connection.request("GET", "/events")
    stream = connection.getresponse()
    while True:
        line = stream.readline().decode()
        if line.startswith("data:"):
            yield json.loads(line[5:])


def page_images(server):
    """Page number → image name, as the page the server serves now shows them."""
    connection = http.client.HTTPConnection("127.0.0.1", int(re.search(r":(\d+)/", server.url).group(1)), timeout=60)
    connection.request("GET", "/")
    return {int(n): name for n, name in IMAGE.findall(connection.getresponse().read().decode("utf-8"))}


def test_an_edit_shows_its_pages_before_the_pdfs_are_written_and_they_are_the_printed_pages(tmp_path):
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    server = Server(issue, out)
    try:
        states = events(server)
        next(s for s in states if s["status"] == "idle" and s["version"] >= 1)
        before = page_images(server)
        pdf_before = (out / "print.pdf").stat().st_mtime_ns

        article = issue / "articles" / "03-opening.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n", encoding="utf-8")
        draft = next(s for s in states if s["status"] != "building")
        assert draft["status"] == "writing"                   # shown before the PDFs are written
        assert (out / "print.pdf").stat().st_mtime_ns == pdf_before
        drafted = page_images(server)
        changed = {n for n in drafted if drafted[n] != before[n]}
        assert 3 in changed and len(changed) < len(before)   # the edited page, not the whole issue

        next(s for s in states if s["status"] == "idle")
        final = page_images(server)
        assert (out / "print.pdf").stat().st_mtime_ns != pdf_before
        # The draft showed what prints: print.pdf's pages rasterise to the same pictures.
        assert {n: final[n] for n in changed} == {n: drafted[n] for n in changed}
        assert final == drafted
    finally:
        code, err = server.stop()
    assert code == 0, err
    # Shown before the copy fitting searched the edited run: laid out at its last photo scale.
    # After the first build: the edit's build (a save seen as two events may start a second,
    # which finds the issue up to date).
    edit = err[err.index("rebuilt in"):]
    assert re.search(r"\b\d+ pages laid out anew shown after .*\n.*fit: searching photo sizes for 1 runs", edit), edit


def test_a_newer_save_stops_the_build_still_running(tmp_path):
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    said = []
    state = serve.Preview(issue, out, said.append)
    state.restart()
    state.restart()              # saved again at once: the first build gives way at its first stage
    state.worker.join()
    assert any(line.startswith("a newer save: this build stops") for line in said), said
    assert sum(line.startswith("rebuilt in") for line in said) == 1
    assert state.state()["status"] == "idle" and (out / "print.pdf").is_file()


def test_an_edit_that_moves_the_pages_after_it_shows_the_pages_up_to_it_first(tmp_path):
    # As the server does: each laid-out state of the issue is drafted as soon as the build has it.
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    pipeline.build(issue, out, progress=lambda m: None)
    before, pdf_before = preview.load(out / "preview"), (out / "print.pdf").read_bytes()
    article = issue / "articles" / "04-report.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
    drafts = []

    def laid_out(rendered):
        drafts.append((rendered, preview.draft(out / "preview", rendered), (out / "print.pdf").read_bytes()))
    report = pipeline.build(issue, out, progress=lambda m: None, laid_out=laid_out)
    assert [a["slug"] for a in report["drift"] if a["drift"] > 0] == ["05-views", "06-closing"]

    first, draft, pdf_then = drafts[0]
    assert not first.complete and draft is not None and pdf_then == pdf_before
    count = len(first.pages)                              # the pages up to the edited run's last
    assert 4 <= count < len(before["pages"])
    pending = [p for p in draft["pages"] if p.get("pending")]
    assert [p["number"] for p in pending] == list(range(count + 1, len(before["pages"]) + 1))
    assert [p["image"] for p in pending] == [p["image"] for p in before["pages"][count:]]   # as they were
    # The pages drawn anew are shown as they print; the others, the contents page among them
    # (its numbers are laid out again once the pages after are), as the last build showed them.
    final = preview.load(out / "preview")
    redrawn = set(first.redrawn)
    assert redrawn and {p["number"] for p in draft["pages"] if p["changed"]} <= redrawn
    assert [draft["pages"][n - 1]["image"] for n in sorted(redrawn)] == [final["pages"][n - 1]["image"] for n in sorted(redrawn)]
    assert all(draft["pages"][n - 1]["image"] == before["pages"][n - 1]["image"] for n in range(1, count + 1) if n not in redrawn)
    # Its thumbnails are written when it is shown, its large images a moment later.
    for n in redrawn:
        name = draft["pages"][n - 1]["image"]
        assert (out / "preview" / "pages" / f"{name}.thumb.png").is_file()
        raster.ready(name)
        assert (out / "preview" / "pages" / f"{name}.png").is_file()
    # A page drawn anew carries what its layout knows (its articles, its low-res photo), not the
    # last build's fill; a page being laid out shows no warning of the last build.
    assert [w["kind"] for w in draft["pages"][3]["warnings"]] == ["low-res"] and draft["pages"][3]["fill"] is None
    assert not any(p["warnings"] for p in pending)
    page = preview.html(draft, live=True, status="moving")
    assert page.count('class="pending-tag"') == len(pending) and "laying out the pages that move" in page
    assert not any(p.get("pending") for p in final["pages"])
