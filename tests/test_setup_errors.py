"""A clone where `make setup` has not run: one line saying what to run, exit 2, no traceback."""
import os
import subprocess
import sys

import pytest

from periodical import icc
from periodical.errors import SetupError
from periodical.fonts import DECLARED
from periodical.model.load import load_issue

from .bounded import limit
from .conftest import MINIMAL_YAML, ROOT, write_issue


def run(*args, env=None, hide=None, cwd):
    """make_issue.py as a user runs it; hide: a module the virtual environment lacks."""
    prelude = f"import sys; sys.modules[{hide!r}] = None; " if hide else ""
    code = (prelude + f"sys.path.insert(0, {str(ROOT)!r}); sys.argv = ['make_issue.py', *{[str(a) for a in args]!r}]; import runpy; "
            f"runpy.run_path({str(ROOT / 'make_issue.py')!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", "import sys; " + code], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, preexec_fn=limit, timeout=300)


def one_setup_line(proc):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("set-up: "), proc.stderr
    assert "make setup" in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["build", "check"])
def test_missing_fonts_name_the_make_target(tmp_path, command):
    write_issue(tmp_path / "i")
    (tmp_path / "no-fonts").mkdir()
    proc = run(command, "i", env={"PERIODICAL_FONTS": str(tmp_path / "no-fonts")}, cwd=tmp_path)
    line = one_setup_line(proc)
    assert "the fonts are missing" in line and "NotoSerifSC-Regular.otf" in line
    assert not (ROOT / "build" / "i").exists()


def test_one_missing_face_is_named(tmp_path):
    write_issue(tmp_path / "i")
    fonts = tmp_path / "some-fonts"
    fonts.mkdir()
    for face in DECLARED:
        if face.file != "NotoSansSC-Bold.otf":
            (fonts / face.file).symlink_to(ROOT / "fonts" / face.file)
    line = one_setup_line(run("check", "i", env={"PERIODICAL_FONTS": str(fonts)}, cwd=tmp_path))
    assert "(NotoSansSC-Bold.otf)" in line


@pytest.mark.parametrize("module", ["yaml", "markdown_it", "weasyprint"])
def test_a_missing_python_package_names_the_make_target(tmp_path, module):
    # yaml and markdown_it are imported with the command, weasyprint only when a build renders.
    write_issue(tmp_path / "i")
    line = one_setup_line(run("build", "i", "--out", tmp_path / "out", hide=module, cwd=tmp_path))
    assert f"the Python module '{module}' is missing" in line


def test_a_missing_system_library_is_a_setup_error():
    # What cffi raises when WeasyPrint cannot open Pango (Debian's libpango-1.0-0).
    e = OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
    assert "a system library is missing (cannot load library 'libpango-1.0-0')" in str(SetupError.from_exception(e))
    assert SetupError.from_exception(OSError("disk full")) is None


def test_a_missing_default_printing_profile_names_the_make_target(tmp_path, monkeypatch):
    # Debian's libgs-common ships the default profile; here the "system" folder lacks it.
    monkeypatch.setattr(icc, "SYSTEM_PROFILES", tmp_path / "icc")
    monkeypatch.setattr(icc, "DEFAULT_CMYK", tmp_path / "icc" / "ghostscript" / "default_cmyk.icc")
    (tmp_path / "icc").mkdir()
    folder = write_issue(tmp_path / "i", MINIMAL_YAML + f"color_profile: {icc.DEFAULT_CMYK}\n")
    with pytest.raises(SetupError, match=r"default CMYK printing profile .* is missing: run `make setup` "
                                         r"\(it installs Debian's libgs-common\)"):
        load_issue(folder)
