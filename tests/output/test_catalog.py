"""make archive: every issue built in parallel and shelved, a failing one named, the shelf checkable."""
import shutil
import subprocess

from ..conftest import ROOT, write_issue


def test_make_archive_shelves_every_issue_and_names_the_one_that_fails(tmp_path):
    issues = tmp_path / "issues"
    write_issue(issues / "2024-03")
    write_issue(issues / "2024-04", yaml_text=(issues / "2024-03" / "issue.yaml").read_text(encoding="utf-8")
                .replace("number: 3", "number: 4"))
    write_issue(issues / "2024-05", yaml_text="publication: 缺少必填项\n")
    shelf = tmp_path / "shelf"
    proc = subprocess.run(["make", "-j2", "archive", f"ISSUES={issues}", f"SHELF={shelf}", f"BUILD={tmp_path / 'build'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0
    assert f"make archive: failed: {issues}/2024-05" in proc.stderr
    assert sorted(p.name for p in shelf.glob("*.pdf")) == ["2024-03.pdf", "2024-04.pdf"]
    assert sorted(p.name for p in shelf.glob("*.png")) == ["2024-03.png", "2024-04.png"]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=shelf, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 5, check.stdout
    index = (shelf / "index.html").read_text(encoding="utf-8")
    for n in (3, 4):
        assert f"测试月刊 2024年第{n}期（总第12期）" in index and f'src="2024-0{n}.png"' in index


def test_a_failed_rebuild_keeps_the_last_good_copy_on_the_shelf(tmp_path):
    issues = tmp_path / "issues"
    issue = write_issue(issues / "2024-03")
    shelf = tmp_path / "shelf"
    make = ["make", "archive", f"ISSUES={issues}", f"SHELF={shelf}", f"BUILD={tmp_path / 'build'}"]
    assert subprocess.run(make, cwd=ROOT, capture_output=True, timeout=900).returncode == 0
    good = (shelf / "2024-03.pdf").read_bytes()
    shutil.copy(issue / "issue.yaml", tmp_path / "issue.yaml")
    (issue / "issue.yaml").write_text("publication: [broken\n", encoding="utf-8")
    proc = subprocess.run(make, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0 and "2024-03" in proc.stderr
    assert (shelf / "2024-03.pdf").read_bytes() == good
