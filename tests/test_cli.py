"""make_issue.py as a user runs it: exit codes, messages, outputs written or left alone."""
import re

import pypdf

from periodical.output.outputs import OUTPUTS

from .conftest import run_cli


def test_minimal_issue_builds_a_complete_magazine(minimal_issue, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("build", minimal_issue, "--out", out)
    assert proc.returncode == 0, proc.stderr
    pdf = pypdf.PdfReader(str(out / "print.pdf"))
    assert len(pdf.pages) % 4 == 0
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    for fact in ("测试月刊", "总第12期", "第一篇文章", "第二篇文章", "要闻", "观点", "印数：500册", "张三"):
        assert fact in text, fact
    assert "filler" not in proc.stdout and "blank page(s) added" in proc.stdout


def test_check_validates_without_rendering(minimal_issue, tmp_path):
    proc = run_cli("check", minimal_issue)
    assert proc.returncode == 0 and "2 articles" in proc.stdout
    assert not (minimal_issue.parent / "build").exists()


def test_bad_input_exits_2_names_the_file_and_keeps_the_last_good_pdf(minimal_issue, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", minimal_issue, "--out", out).returncode == 0
    good = {o.file: (out / o.file).read_bytes() for o in OUTPUTS}
    (minimal_issue / "articles" / "01-first.md").write_text("---\ntitle: [broken\n---\n\n正文\n", encoding="utf-8")
    (minimal_issue / "issue.yaml").write_text("publication: x\n", encoding="utf-8")
    proc = run_cli("build", minimal_issue, "--out", out)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "articles/01-first.md:3: YAML syntax error" in proc.stderr
    assert "issue.yaml:1: year: required key is missing" in proc.stderr
    assert "problem(s) in the input; nothing was written" in proc.stderr
    assert {o.file: (out / o.file).read_bytes() for o in OUTPUTS} == good
    assert sorted(p.name for p in out.iterdir()) == sorted([o.file for o in OUTPUTS] + ["preflight.json", "preview",
                                                                                        "report.json"])


def test_missing_glyph_is_named_with_its_article(minimal_issue):
    path = minimal_issue / "articles" / "02-second.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n古文字𠀀在此。\n", encoding="utf-8")
    proc = run_cli("check", minimal_issue)
    assert proc.returncode == 2
    assert "02-second.md: character '𠀀' (U+20000) is not in the declared fonts" in proc.stderr


def test_no_command_is_a_usage_error():
    proc = run_cli()
    assert proc.returncode == 2 and "usage:" in proc.stderr
