"""write_all makes every output before it replaces any: a failure leaves the last good set whole."""
from types import SimpleNamespace

import pytest

from periodical import fonts, metadata
from periodical.output import finishing, outputs, stitch


def _write_all(tmp_path, monkeypatch, drawn=b"drawn", fail_on=None):
    """write_all with stitching that writes `drawn` and finishing that adds the output's name."""
    monkeypatch.setattr(stitch, "stitch", lambda parts, font_files, into: into.write_bytes(drawn))
    monkeypatch.setattr(fonts, "declared_files", lambda folder: [])
    monkeypatch.setattr(metadata, "describe", lambda issue: None)

    def finish(drawn, output, issue, description, starts, into):
        if output.name == fail_on:
            raise RuntimeError(f"{output.name} failed")
        into.write_bytes(drawn.read_bytes() + b" " + output.name.encode())
    monkeypatch.setattr(finishing, "finish", finish)
    return outputs.write_all(None, SimpleNamespace(parts=[], starts={}), tmp_path, tmp_path)


def test_each_output_is_written_and_no_temporary_file_stays(tmp_path, monkeypatch):
    written = _write_all(tmp_path, monkeypatch)
    assert {name: path.read_bytes() for name, path in written.items()} == \
        {o.name: b"drawn " + o.name.encode() for o in outputs.OUTPUTS}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(o.file for o in outputs.OUTPUTS)


def test_a_failed_output_replaces_none_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    _write_all(tmp_path, monkeypatch)
    with pytest.raises(RuntimeError):
        _write_all(tmp_path, monkeypatch, b"redrawn", fail_on=outputs.OUTPUTS[-1].name)   # the first was made
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == \
        {o.file: b"drawn " + o.name.encode() for o in outputs.OUTPUTS}
