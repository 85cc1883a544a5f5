"""Finding one's way in the archive: outline, page labels, contents links, tags."""
import re

import pikepdf
import pypdf

MM = 72 / 25.4


def archive(issue148):
    return pikepdf.open(issue148[0] / "archive.pdf")


def test_archive_is_tagged_and_its_contents_entries_link_to_the_articles(issue148):
    with archive(issue148) as doc:
        assert doc.Root.MarkInfo.Marked is True and "/StructTreeRoot" in doc.Root
        reader = pypdf.PdfReader(str(issue148[0] / "archive.pdf"))
        starts = {name: reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
        links = [a for a in doc.pages[2].obj.Annots if a.Subtype == "/Link"]
        assert len(links) >= 30
        targets = {str(a.Dest) for a in links}
        assert {"04-session-opens", "45-livelihood"} <= targets
        assert starts["04-session-opens"] == 4 and starts["45-livelihood"] == 45


def test_archive_outline_is_sections_then_articles_on_their_pages(issue148):
    reader = pypdf.PdfReader(str(issue148[0] / "archive.pdf"))
    top = reader.outline            # pypdf: an entry, then the list of its children
    titles = [o.title for o in top if not isinstance(o, list)]
    assert titles[:3] == ["封面", "卷首 Foreword", "目录"] and titles[-1] == "封底"
    section = next(n for n, o in enumerate(top) if not isinstance(o, list) and o.title == "聚焦 Highlights")
    articles = top[section + 1]
    assert articles[0].title == "市政协十四届二次会议隆重召开"
    assert reader.get_destination_page_number(articles[0]) + 1 == 4
    assert reader.get_destination_page_number(top[section]) + 1 == 4


def test_page_labels_match_the_printed_folios(issue148):
    reader = pypdf.PdfReader(str(issue148[0] / "archive.pdf"))
    labels = reader.page_labels
    assert labels[0] == "封面" and labels[-1] == "封底"
    folios = 0
    for n, page in enumerate(reader.pages):
        bottom = []
        page.extract_text(visitor_text=lambda t, cm, tm, *_: bottom.append(t) if tm[5] * cm[3] + cm[5] < 18 * MM else None)
        printed = [t for t in "".join(bottom).split() if re.fullmatch(r"\d\d", t)]
        if printed:
            folios += 1
            assert printed[0] == labels[n], (n + 1, printed, labels[n])
    assert folios > 30
