"""`trim` in issue.yaml: the forms an editor may write, and the sizes refused with file, line and key."""
import pytest

from periodical.model import trim

from ..conftest import MINIMAL_YAML, run_cli, write_issue


@pytest.mark.parametrize("text,size", [
    ("185×260 mm", (185, 260)), ("185x260", (185, 260)), ("185 X 260mm", (185, 260)),
    ("140*203 MM", (140, 203)), (" 210 × 297 ", (210, 297)), ("100×140", (100, 140)),
    ("300×420 mm", (300, 420)), ("187.5×260", (187.5, 260)),
])
def test_accepted_forms(text, size):
    assert (trim.parse(text).width, trim.parse(text).height) == size


@pytest.mark.parametrize("text,why", [
    ("A4", "is not a trim size"), ("185×260 cm", "is not a trim size"), ("185×", "is not a trim size"),
    ("99×140", "outside"), ("185×139", "outside"), ("301×400", "outside"), ("210×421 mm", "outside"),
])
def test_refused_forms(text, why):
    with pytest.raises(ValueError, match=why):
        trim.parse(text)


def test_the_default_is_issue_148s_format():
    assert str(trim.DEFAULT) == "210×285 mm"


def test_a_bad_trim_is_an_input_error_with_file_line_and_key(tmp_path):
    issue = write_issue(tmp_path / "2024-03", MINIMAL_YAML + "trim: 50×70 mm\n")
    proc = run_cli("check", issue)
    line = MINIMAL_YAML.count("\n") + 1
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"issue.yaml:{line}: trim: 50×70 mm is outside the sizes the layouts are drawn for" in proc.stderr
    (issue / "issue.yaml").write_text(MINIMAL_YAML + "trim: 大16开\n", encoding="utf-8")
    proc = run_cli("check", issue)
    assert proc.returncode == 2 and f"issue.yaml:{line}: trim: '大16开' is not a trim size" in proc.stderr
