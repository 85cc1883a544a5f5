"""The sources inside the archive: extracted as they were, and built again into the same bytes."""
import pikepdf
from pikepdf import Array, Dictionary, Name, String

from periodical.output.outputs import OUTPUTS

from ..conftest import ISSUE148, run_cli


def test_extract_gives_back_every_file_of_the_issue(issue148, tmp_path):
    folder = tmp_path / "2023-01"
    proc = run_cli("extract", issue148[0] / "archive.pdf", folder)
    assert proc.returncode == 0, proc.stderr
    given = {p.relative_to(ISSUE148).as_posix(): p.read_bytes() for p in ISSUE148.rglob("*") if p.is_file()}
    back = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert back == given
    assert {"issue.yaml", "CORRECTIONS.md", "manuscript.txt", "articles/04-session-opens.md"} <= set(back)


def test_sources_are_associated_files_with_mime_types(issue148):
    with pikepdf.open(issue148[0] / "archive.pdf") as pdf:
        specs = {str(s.UF): s for s in pdf.Root.AF}
        yaml = specs["issue.yaml"]
        assert yaml.AFRelationship == "/Source" and yaml.F == "issue.yaml"
        assert yaml.EF.F.Subtype == "/application/yaml" and specs["CORRECTIONS.md"].EF.F.Subtype == "/text/markdown"
        assert set(pdf.attachments) == set(specs)


def test_building_the_extracted_folder_gives_identical_files(issue148, tmp_path):
    # Two builds of the same sources, from different folders: the same bytes, for every output.
    folder = tmp_path / "elsewhere" / "2023-01"
    assert run_cli("extract", issue148[0] / "archive.pdf", folder).returncode == 0
    proc = run_cli("build", folder, "--out", tmp_path / "again")
    assert proc.returncode == 0, proc.stderr
    for output in OUTPUTS:
        assert (tmp_path / "again" / output.file).read_bytes() == (issue148[0] / output.file).read_bytes(), output.file


def test_extract_refuses_a_folder_in_use_and_paths_outside_it(issue148, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x", encoding="utf-8")
    proc = run_cli("extract", issue148[0] / "archive.pdf", tmp_path / "used")
    assert proc.returncode == 1 and "is not empty" in proc.stderr
    with pikepdf.open(issue148[0] / "archive.pdf") as pdf:
        evil = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("../evil.txt"), UF=String("../evil.txt"),
                                            AFRelationship=Name.Source, EF=Dictionary(F=pdf.make_stream(b"x"))))
        pdf.Root.AF = Array([evil])
        pdf.save(tmp_path / "evil.pdf")
    proc = run_cli("extract", tmp_path / "evil.pdf", tmp_path / "out")
    assert proc.returncode == 1 and "refusing to write" in proc.stderr
    assert not (tmp_path / "evil.txt").exists()
