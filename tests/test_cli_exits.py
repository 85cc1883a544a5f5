"""The command's promises on the way out: Ctrl-C, an internal error, and `build --strict`."""
import shutil
import os
import signal
import subprocess
import sys
import time

from .conftest import FLOW_ARTICLES, ISSUE148, PARAGRAPH, ROOT, run_cli, write_flow_issue, write_issue


def files(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_ctrl_c_stops_a_build_and_leaves_the_previous_outputs(minimal_issue, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", minimal_issue, "--out", out).returncode == 0
    before = files(out)
    # Issue 148 from an empty cache takes long enough to be stopped while WeasyPrint lays it out
    # (with its parts drawn on disk it is written within a second).
    proc = subprocess.Popen([sys.executable, str(ROOT / "make_issue.py"), "build", str(ISSUE148), "--out", str(out)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PERIODICAL_CACHE=str(tmp_path / "cold")))
    assert "load+text" in proc.stderr.readline()
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    rest = proc.stderr.read()
    assert "interrupted; the previous outputs are untouched" in rest and "Traceback" not in rest
    assert files(out) == before


def test_an_internal_error_exits_1_without_a_traceback_and_keeps_the_outputs(minimal_issue, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", minimal_issue, "--out", out).returncode == 0
    before = files(out)
    article = minimal_issue / "articles" / "02-second.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    # A cache folder that cannot be made (its parent is a file): not the editor's fault.
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    proc = run_cli("build", minimal_issue, "--out", out, env={"PERIODICAL_CACHE": str(tmp_path / "a-file" / "cache")})
    assert proc.returncode == 1, proc.stderr
    assert "internal error:" in proc.stderr and "Traceback" not in proc.stderr
    assert files(out) == before
    proc = run_cli("--debug", "build", minimal_issue, "--out", out,
                   env={"PERIODICAL_CACHE": str(tmp_path / "a-file" / "cache")})
    assert "Traceback" in proc.stderr                       # --debug shows it


def test_strict_refuses_overset_material(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    report = issue / "articles" / "04-report.md"
    report.write_text(report.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
    proc = run_cli("build", issue, "--out", tmp_path / "out", "--strict")
    assert proc.returncode == 1
    assert "not print-ready: overset: 05-views starts on p." in proc.stdout and ", planned p.5" in proc.stdout


def test_strict_refuses_rgb_and_an_undeclared_font_from_a_house_style(minimal_issue, tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", layouts)
    with open(layouts / "magazine.css", "a", encoding="utf-8") as css:
        css.write('\n.body p:first-child::before { content: "Ab"; color: rgb(255, 0, 0); font-family: "DejaVu Sans"; }\n')
    proc = run_cli("build", minimal_issue, "--out", tmp_path / "out", "--strict",
                   env={"PERIODICAL_LAYOUTS": str(layouts)})
    assert proc.returncode == 1
    refused = [line for line in proc.stdout.splitlines() if line.startswith("not print-ready: ")]
    assert any("print.pdf: [colour]" in line and "DeviceRGB" in line for line in refused), proc.stdout
    assert any("DejaVu" in line and "not declared" in line for line in refused), proc.stdout
    assert any(line.startswith("problem: ") and "DejaVu" in line for line in proc.stdout.splitlines())
