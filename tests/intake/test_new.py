"""`make_issue.py new`: the next issue's folder from the previous one, as a user runs it."""
import datetime
import subprocess

import yaml

from tests.conftest import ISSUE148, MINIMAL_YAML, ROOT, run_cli, write_issue


def _yaml(folder):
    return yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))


def test_next_issue_from_148(tmp_path):
    new = tmp_path / "2023-02"
    proc = run_cli("new", new, "--from", ISSUE148)
    assert proc.returncode == 0, proc.stderr
    old, data = _yaml(ISSUE148), _yaml(new)
    assert (data["year"], data["number"], data["total"]) == (2023, 2, 149)
    assert data["date"] == datetime.date(2023, 3, 25)
    assert list((new / "articles").iterdir()) == [] and list((new / "images").iterdir()) == []
    for key in ("publication", "sections", "colophon", "permit", "print_run", "frequency", "pages", "award"):
        assert data[key] == old[key], key
    assert "image" not in data["cover"] and "lead" not in data["cover"] and "image" not in data["back_cover"]
    assert data["cover"]["headline"] == old["cover"]["headline"]
    text = (new / "issue.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 《哈尔滨政协》2023年第2期 (总第149期)")          # comments kept, and made true
    assert list(data) == list(old)                                             # key order kept
    assert "make_issue.py import" in proc.stdout and str(new) in proc.stdout   # what to do next


def test_refuses_an_existing_folder(tmp_path):
    new = tmp_path / "2023-02"
    new.mkdir()
    (new / "keep.txt").write_text("mine")
    proc = run_cli("new", new, "--from", ISSUE148)
    assert proc.returncode == 2
    assert "already exists" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in new.iterdir()] == ["keep.txt"]


def test_last_issue_of_the_year_wraps(tmp_path):
    prev = write_issue(tmp_path / "2024-12", MINIMAL_YAML.replace("number: 3", "number: 12")
                       .replace("date: 2024-03-20", "date: 2024-12-31"))
    proc = run_cli("new", tmp_path / "2025-01", "--from", prev)
    assert proc.returncode == 0, proc.stderr
    data = _yaml(tmp_path / "2025-01")
    assert (data["year"], data["number"], data["total"], data["date"]) == (2025, 1, 13, datetime.date(2025, 1, 31))


def test_bimonthly_and_quarterly(tmp_path):
    for frequency, number, date in (("双月刊", 4, datetime.date(2024, 5, 20)), ("季刊", 4, datetime.date(2024, 6, 20))):
        prev = write_issue(tmp_path / frequency, MINIMAL_YAML + f"frequency: {frequency}\n")
        proc = run_cli("new", tmp_path / f"{frequency}-next", "--from", prev)
        assert proc.returncode == 0, proc.stderr
        data = _yaml(tmp_path / f"{frequency}-next")
        assert (data["number"], data["date"]) == (number, date), frequency
    prev = write_issue(tmp_path / "q4", MINIMAL_YAML.replace("number: 3", "number: 4") + "frequency: 季刊\n")
    run_cli("new", tmp_path / "q4-next", "--from", prev)
    assert (_yaml(tmp_path / "q4-next")["number"], _yaml(tmp_path / "q4-next")["year"]) == (1, 2025)


def test_unknown_frequency_and_bad_values_are_named(tmp_path):
    prev = write_issue(tmp_path / "odd", MINIMAL_YAML.replace("total: 12", "total: twelve") + "frequency: 不定期\n")
    proc = run_cli("new", tmp_path / "next", "--from", prev)
    assert proc.returncode == 2 and not (tmp_path / "next").exists()
    assert "issue.yaml:4: total: must be whole number" in proc.stderr
    assert "issue.yaml:14: frequency: '不定期' is not a frequency we can count" in proc.stderr


def test_the_new_folder_builds_once_it_has_an_article(tmp_path):
    new = tmp_path / "2023-02"
    run_cli("new", new, "--from", ISSUE148)
    (new / "articles" / "04-a.md").write_text("---\ntitle: 标题\nsection: focus\npage: 4\n---\n\n正文。\n", encoding="utf-8")
    proc = run_cli("check", new)
    assert proc.returncode == 0, proc.stderr


def test_make_new_writes_under_build_by_default(tmp_path):
    dry = subprocess.run(["make", "-n", "new"], cwd=ROOT, capture_output=True, text=True)
    assert "make_issue.py new build/issues/2023-02 --from issue/2023-01" in dry.stdout   # never a 2nd folder in issue/
    proc = subprocess.run(["make", "new", f"NEW={tmp_path / '2023-02'}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert _yaml(tmp_path / "2023-02")["total"] == 149
