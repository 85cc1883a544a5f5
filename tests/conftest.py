"""Shared fixtures: small issues written into a temporary folder, and issue 148 built once.

Each test run has caches of its own: PERIODICAL_CACHE is set here, before any test imports the
pipeline, to a fresh folder (subprocesses inherit it), so no run leans on what an earlier run or
`make issue` left in build/.cache. Issue 148 is built once per run from a cache that is empty.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ISSUE148 = ROOT / "issue" / "2023-01"
# tests/mutate.py runs the suite once per mutant and shares one cache between its runs.
SHARED_CACHE = os.environ.get("PERIODICAL_TEST_CACHE")
RUN_CACHE = Path(SHARED_CACHE or tempfile.mkdtemp(prefix="periodical-test-cache-"))
os.environ["PERIODICAL_CACHE"] = str(RUN_CACHE)


@pytest.fixture(scope="session", autouse=True)
def run_cache():
    """This run's own cache folder (font subsets, fitted photo scales), removed at the end."""
    yield RUN_CACHE
    if not SHARED_CACHE:
        shutil.rmtree(RUN_CACHE, ignore_errors=True)

MINIMAL_YAML = """\
publication: 测试月刊
year: 2024
number: 3
total: 12
date: 2024-03-20
permit: 黑新出印字 0000001
print_run: 500
sections:
  - {id: news, title: 要闻, en: News}
  - {id: views, title: 观点, en: Views}
colophon:
  - [主编, 张三]
  - [地址, 哈尔滨市道里区]
"""

MINIMAL_ARTICLES = {
    "01-first.md": """\
---
title: 第一篇文章
section: news
---

这是第一段正文,用来检查排版。春节前夕,委员们走访慰问了困难群众。

这是第二段正文。
""",
    "02-second.md": """\
---
title: 第二篇文章
section: views
---

观点文章的正文只有一段。
""",
}


def write_issue(folder, yaml_text=MINIMAL_YAML, articles=None):
    """Write an issue folder with issue.yaml and articles/ (a dict of file name → text)."""
    folder = Path(folder)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    if yaml_text is not None:
        (folder / "issue.yaml").write_text(yaml_text, encoding="utf-8")
    for name, text in (MINIMAL_ARTICLES if articles is None else articles).items():
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
        (folder / "articles" / name).write_bytes(data)
    return folder


@pytest.fixture
def minimal_issue(tmp_path):
    return write_issue(tmp_path / "2024-03")


def run_cli(*args, cwd=ROOT, env=None):
    """Run make_issue.py as a user runs it; return the finished process."""
    return subprocess.run([sys.executable, str(ROOT / "make_issue.py"), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=None if env is None else dict(os.environ, **env))


@pytest.fixture(scope="session")
def issue148(tmp_path_factory):
    """Issue 148 built once through the command line from an empty cache, so the copy fitting
    searches every run's photo sizes; yields (output folder, process)."""
    out, cache = tmp_path_factory.mktemp("build148"), tmp_path_factory.mktemp("cache148")
    proc = run_cli("build", ISSUE148, "--out", out, env={"PERIODICAL_CACHE": str(cache)})
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return out, proc


PARAGRAPH = "委员们围绕推动高质量发展建言献策，提出了许多具有前瞻性和可操作性的意见建议。"

FLOW_ARTICLES = {
    "03-opening.md": f"""\
---
title: 开幕会隆重举行
section: news
page: 3
images:
  - {{src: images/missing.jpg, caption: 会场, size: column}}
---

{PARAGRAPH}

{PARAGRAPH}
""",
    "04-report.md": f"""\
---
title: 常委会工作报告
section: news
page: 4
images:
  - {{src: images/small.png, caption: 小图, size: column}}
---

{PARAGRAPH}
""",
    "05-views.md": f"""\
---
title: 建言献策
section: views
page: 5
---

{PARAGRAPH}
""",
    "06-closing.md": f"""\
---
title: 闭幕会
section: views
page: 6
---

{PARAGRAPH}
""",
}


def write_flow_issue(folder):
    """A small issue with planned pages (3–6), a missing photo (FPO) on p.3 and a 40-pixel-wide photo on p.4."""
    from PIL import Image
    folder = write_issue(folder, MINIMAL_YAML + "pages: 8\n", FLOW_ARTICLES)
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), (180, 60, 60)).save(folder / "images" / "small.png")
    return folder


@pytest.fixture
def flow_issue(tmp_path):
    return write_flow_issue(tmp_path / "2024-03")
