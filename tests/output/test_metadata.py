"""What the outputs say about themselves, in XMP and in the Info dictionary, read from the bytes."""
import pikepdf


def test_print_metadata_identifies_pdfx_with_the_same_title_and_dates(issue148):
    with pikepdf.open(issue148[0] / "print.pdf") as doc:
        meta, info = doc.open_metadata(), doc.trailer.Info
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and meta["pdf:Trapped"] == "False"
        assert info.Title == meta["dc:title"] == "哈尔滨政协 2023年第1期（总第148期）"
        assert meta["xmpMM:RenditionClass"] == "default" and meta["xmpMM:VersionID"] == "1"
        assert info.ModDate == "D:20230225000000+08'00'"


def test_archive_metadata_agrees_in_xmp_and_info(issue148):
    with pikepdf.open(issue148[0] / "archive.pdf") as doc:
        meta, info = doc.open_metadata(), doc.trailer.Info
        assert info.Title == meta["dc:title"] == "哈尔滨政协 2023年第1期（总第148期）"
        assert doc.Root.Lang == "zh-CN" and meta["dc:language"] == {"zh-CN"}
        assert meta["dc:publisher"] == {"《哈尔滨政协》编辑部"}
        assert meta["dc:date"] == ["2023-02-25"]
        assert meta["xmp:CreateDate"] == "2023-02-25T00:00:00+08:00" and info.CreationDate == "D:20230225000000+08'00'"
        assert set(meta["dc:subject"]) == {"卷首", "聚焦", "建言", "动态", "创新", "回顾"}
        assert info.Keywords == meta["pdf:Keywords"] and info.Creator == meta["xmp:CreatorTool"]
        assert meta["xmpMM:DocumentID"].startswith("uuid:")


def test_document_id_is_the_issue_s_and_instance_ids_differ_per_output(issue148):
    ids = {}
    for name in ("print.pdf", "archive.pdf"):
        with pikepdf.open(issue148[0] / name) as doc:
            meta = doc.open_metadata()
            ids[name] = (meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"])
    assert ids["print.pdf"][0] == ids["archive.pdf"][0]
    assert ids["print.pdf"][1] != ids["archive.pdf"][1]
