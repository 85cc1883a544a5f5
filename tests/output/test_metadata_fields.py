"""What the outputs say about who made them and from what: creator, producer, the embedded files'
dates, sizes and checksums, and the printing condition's profile (`color_profile`)."""
import hashlib

import pikepdf
import weasyprint
import yaml

from ..conftest import ISSUE148, MINIMAL_YAML, run_cli, write_issue

DEFAULT_PROFILE = "/usr/share/color/icc/ghostscript/default_cmyk.icc"


def test_creator_producer_and_author_are_said_alike_in_info_and_xmp(issue148):
    publication = yaml.safe_load((ISSUE148 / "issue.yaml").read_text(encoding="utf-8"))["publication"]
    for name in ("print.pdf", "archive.pdf"):
        with pikepdf.open(issue148[0] / name) as doc:
            meta, info = doc.open_metadata(), doc.trailer.Info
            assert str(info.Creator) == meta["xmp:CreatorTool"] == f"periodical (WeasyPrint {weasyprint.__version__})"
            assert str(info.Producer) == meta["pdf:Producer"] == \
                f"WeasyPrint {weasyprint.__version__}; pikepdf {pikepdf.__version__}"
            assert str(info.Author) == f"《{publication}》编辑部" and meta["dc:creator"] == [f"《{publication}》编辑部"]


def test_embedded_files_carry_the_issue_s_date_size_and_checksum(issue148):
    with pikepdf.open(issue148[0] / "archive.pdf") as doc:
        attached = dict(doc.attachments.items())
        assert sorted(attached) == sorted(str(p.relative_to(ISSUE148)) for p in ISSUE148.rglob("*") if p.is_file())
        for name, spec in attached.items():
            data = (ISSUE148 / name).read_bytes()
            params = spec.obj.EF.F.Params
            assert str(params.ModDate) == "D:20230225000000+08'00'", name          # date: 2023-02-25 in issue.yaml
            assert int(params.Size) == len(data) and bytes(params.CheckSum) == hashlib.md5(data).digest(), name
            assert bytes(spec.obj.EF.F.read_bytes()) == data, name


def intent_profiles(path):
    with pikepdf.open(path) as doc:
        return {str(oi.S): bytes(oi.DestOutputProfile.read_bytes()) for oi in doc.Root.OutputIntents}


def test_color_profile_names_the_printing_condition_of_both_files(tmp_path):
    # The default profile with another device model in its header: valid, and told apart by its bytes.
    default = open(DEFAULT_PROFILE, "rb").read()
    press = default[:48] + b"TEST" + default[52:]
    issue = write_issue(tmp_path / "2024-03", MINIMAL_YAML + "color_profile: press.icc\n")
    (issue / "press.icc").write_bytes(press)
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert intent_profiles(tmp_path / "out" / "print.pdf") == {"/GTS_PDFX": press}
    assert intent_profiles(tmp_path / "out" / "archive.pdf") == {"/GTS_PDFA1": press}


def test_without_color_profile_the_default_is_the_output_intent(issue148):
    assert intent_profiles(issue148[0] / "print.pdf") == {"/GTS_PDFX": open(DEFAULT_PROFILE, "rb").read()}
