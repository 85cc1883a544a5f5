"""Finding one's way in the archive: outline, page labels, contents links, tags."""
import re

import pikepdf
import pypdf
import yaml

from .. import manuscript, pdftext
from ..conftest import ISSUE148

MM = 72 / 25.4


def archive(issue148):
    return pikepdf.open(issue148[0] / "archive.pdf")


def articles():
    """slug → front matter of each article file of issue 148, in file-name order."""
    return {f.stem: yaml.safe_load(f.read_text(encoding="utf-8").split("---")[1])
            for f in sorted((ISSUE148 / "articles").glob("*.md"))}


def test_archive_is_tagged_and_every_contents_link_leads_to_the_page_it_prints(issue148):
    path = issue148[0] / "archive.pdf"
    with archive(issue148) as doc:
        assert doc.Root.MarkInfo.Marked is True and "/StructTreeRoot" in doc.Root
        links = [a for a in doc.pages[2].obj.Annots if a.Subtype == "/Link"]
    reader = pypdf.PdfReader(str(path))
    target = {name: reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
    headlines = [manuscript.norm(text) for text in pdftext.headlines(path)]
    meta = articles()
    listed = [slug for slug, m in meta.items() if m.get("toc") is not False]
    assert sorted({str(a.Dest) for a in links}) == sorted(listed)              # all 30, nothing else
    # Each entry's printed number (read inside its link) is the page the link opens, and that page
    # prints the article's headline.
    for number, text, _, slug in pdftext.contents_entries(path):
        assert number == target[slug], slug
        assert manuscript.norm(meta[slug]["title"]) in headlines[number - 1], slug


def test_archive_outline_is_the_issue_s_sections_and_articles_in_page_order(issue148):
    # Expected from the data files alone: covers and contents, each section (title and English name)
    # at its first article's page with its articles (contents title, planned page) under it;
    # titles compared as the manuscript tests compare them (widths and spaces folded).
    reader = pypdf.PdfReader(str(issue148[0] / "archive.pdf"))
    sections = yaml.safe_load((ISSUE148 / "issue.yaml").read_text(encoding="utf-8"))["sections"]
    children = {s["id"]: [] for s in sections}
    for m in articles().values():
        children[m["section"]].append((manuscript.norm(m.get("toc_title") or m["title"]), m["page"]))
    expected = [(("封面", 1), []), (("目录", 3), []), (("封底", len(reader.pages)), [])]
    expected += [((manuscript.norm(f"{s['title']} {s['en']}"), children[s["id"]][0][1]), children[s["id"]])
                 for s in sections if children[s["id"]]]
    expected.sort(key=lambda e: e[0][1])

    def page(entry):
        return reader.get_destination_page_number(entry) + 1
    outline, top = [], reader.outline          # pypdf: an entry, then the list of its children
    for n, entry in enumerate(top):
        if not isinstance(entry, list):
            kids = top[n + 1] if n + 1 < len(top) and isinstance(top[n + 1], list) else []
            outline.append(((manuscript.norm(entry.title), page(entry)),
                            [(manuscript.norm(k.title), page(k)) for k in kids]))
    assert outline == expected
    flat = [p for (_, p), kids in outline for p in [p] + [k for _, k in kids]]
    assert flat == sorted(flat)


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
