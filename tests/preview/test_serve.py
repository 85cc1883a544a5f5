"""The preview server as an editor uses it: `make_issue.py preview`, in Debian's headless Chromium."""
import json
import re
import signal
import socket
import subprocess
import sys

import pytest

from ..browser import Chromium
from ..conftest import PARAGRAPH, ROOT, run_cli, write_flow_issue

COUNT_SPREADS = "document.querySelectorAll('.spread').length"
THUMBS = "Array.from(document.querySelectorAll('figure.page img')).map(i => i.getAttribute('src'))"


class Server:
    """`make_issue.py preview` on a free loopback port, as a user starts it."""

    def __init__(self, issue, out):
        self.process = subprocess.Popen([sys.executable, str(ROOT / "make_issue.py"), "preview", str(issue),
                                         "--port", "0", "--out", str(out)],
                                        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)

    def stop(self):
        """Ctrl-C, as the editor stops it; returns (exit code, what it printed on stderr)."""
        self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=60)
        return self.process.returncode, err


@pytest.fixture
def browser(tmp_path):
    chromium = Chromium(tmp_path / "profile")
    yield chromium
    chromium.close()


def shown(out):
    """What the build gave the browsers: the preview's manifest (report.json follows after the checks)."""
    return json.loads((out / "preview" / "preview.json").read_text(encoding="utf-8"))


def wait_for_build(browser, version):
    """Wait until the page shows the outcome of build number `version` (counted from 1)."""
    browser.wait_for(f"Number(document.getElementById('app').dataset.version) >= {version} && "
                     "!document.getElementById('status').className.includes('busy')")


def test_spreads_page_map_and_warnings_update_live_and_survive_bad_yaml(tmp_path, browser):
    issue, out = write_flow_issue(tmp_path / "2024-03"), tmp_path / "out"
    server = Server(issue, out)
    try:
        browser.goto(server.url)
        wait_for_build(browser, 1)
        first = shown(out)
        start = {a["slug"]: a["start"] for a in first["articles"]}

        assert browser.js(COUNT_SPREADS) == 1 + len(first["pages"]) // 2
        rows = browser.js("Array.from(document.querySelectorAll('#pagemap tr.article')).map(r => [r.dataset.slug, "
                          "r.querySelector('.title a').textContent, r.querySelector('.actual').textContent])")
        assert rows == [[a["slug"], a["title"], str(a["start"])] for a in first["articles"]]
        fpo = f"#page-{start['03-opening']} .badge[data-kind='FPO']"
        assert browser.js(f"document.querySelector(\"{fpo}\") !== null")
        assert browser.js("document.querySelectorAll(\".badge[data-kind='FPO']\").length") == 1
        browser.screenshot(tmp_path / "first.png")
        before = browser.js(THUMBS)
        browser.js("window.notReloaded = true")

        # The editor lengthens an article: the next ones move, and the page follows by itself.
        article = issue / "articles" / "04-report.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
        moved = browser.wait_for("Array.from(document.querySelectorAll('.moved li')).map(li => li.textContent)")
        wait_for_build(browser, 2)
        second = shown(out)
        starts = {a["slug"]: a["start"] for a in second["articles"]}
        assert starts["05-views"] > start["05-views"]
        assert any(f"moved from p.{start['05-views']} to p.{starts['05-views']}" in m for m in moved)
        assert browser.js("window.notReloaded === true")               # updated in place, not reloaded
        after = browser.js(THUMBS)
        assert after != before
        changed = browser.js("Array.from(document.querySelectorAll('figure.page.changed')).map(f => Number(f.dataset.page))")
        assert changed and all(after[n - 1] != (before[n - 1] if n <= len(before) else None) for n in changed)
        assert browser.js(f"document.querySelector('#page-{starts['05-views']} .badge[data-kind=\"drift\"]') !== null")
        browser.screenshot(tmp_path / "moved.png")

        # A YAML mistake: the error shows with its file and line, and the last good pages stay.
        views = issue / "articles" / "05-views.md"
        views.write_text(views.read_text(encoding="utf-8").replace("title: 建言献策", "title: [建言献策"), encoding="utf-8")
        error = browser.wait_for("document.querySelector('.errors') && document.querySelector('.errors').textContent")
        assert re.search(r"05-views\.md:\d+", error) and "YAML syntax error" in error
        assert browser.js(THUMBS) == after
        assert browser.js(COUNT_SPREADS) == 1 + len(second["pages"]) // 2
        assert server.process.poll() is None
        browser.screenshot(tmp_path / "error.png")

        # Fixed again: the error goes away by itself.
        views.write_text(views.read_text(encoding="utf-8").replace("title: [建言献策", "title: 建言献策"), encoding="utf-8")
        browser.wait_for("document.querySelector('.errors') === null")
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert "rebuild failed" in err and "05-views.md" in err


def test_preview_refuses_a_folder_that_is_not_an_issue(tmp_path):
    proc = run_cli("preview", tmp_path, "--port", "0")
    assert proc.returncode == 2
    assert "not an issue folder" in proc.stderr


def test_preview_says_when_its_port_is_taken(minimal_issue):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        proc = run_cli("preview", minimal_issue, "--port", taken.getsockname()[1])
    assert proc.returncode == 1
    assert "choose another port with --port" in proc.stderr
