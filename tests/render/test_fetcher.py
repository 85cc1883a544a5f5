"""What the renderer may read: files inside the issue (symlinks resolved first) and data: URLs;
never a `../` path or a symlink out of it. And how it writes: two writers, two temporary names."""
import base64
import io
import threading

import pikepdf
from PIL import Image

from periodical.render import render


def png(colour=(200, 30, 30)):
    data = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(data, format="PNG")
    return data.getvalue()


def placed_images(html, root, pdf):
    rendered = render.layout(html, root)
    render.write_pdf(rendered.document, pdf)
    with pikepdf.open(pdf) as doc:
        count = sum(len(page.get_images()) for page in doc.pages)
    return count, rendered.refused


def test_a_file_inside_the_issue_and_a_data_url_are_drawn(tmp_path):
    root = tmp_path / "issue"
    (root / "images").mkdir(parents=True)
    (root / "images" / "a.png").write_bytes(png())
    data = "data:image/png;base64," + base64.b64encode(png((30, 30, 200))).decode()
    count, refused = placed_images(f"<img src='images/a.png'><img src='images/../images/a.png'><img src='{data}'>",
                                   root, tmp_path / "x.pdf")
    assert refused == [] and count == 2                     # a.png (named twice: one image) and the data: URL


def test_dot_dot_paths_and_symlinks_out_of_the_issue_are_refused(tmp_path):
    root = tmp_path / "issue"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes(png())
    (root / "link.png").symlink_to(tmp_path / "outside.png")
    (root / "inside.png").write_bytes(png())
    count, refused = placed_images("<img src='../outside.png'><img src='link.png'><img src='inside.png'>",
                                   root, tmp_path / "x.pdf")
    assert count == 1                                      # only inside.png is drawn
    assert sorted(url.rsplit("/", 1)[-1] for url in refused) == ["link.png", "outside.png"]


def test_two_writers_at_once_use_distinct_temporary_names(tmp_path):
    target = tmp_path / "print.pdf"
    both_open = threading.Barrier(2, timeout=30)
    seen = []

    def writer(content):
        def write(f):
            f.write(content)
            both_open.wait()                                # the two temporary files exist now
            seen.append(sorted(p.name for p in tmp_path.iterdir() if p.name != "print.pdf"))
            both_open.wait()
        return lambda: render.atomic_write(target, write)
    threads = [threading.Thread(target=writer(c)) for c in (b"one", b"two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    [names, again] = seen
    assert names == again and len(names) == 2 and all(n.startswith(".print.pdf.") for n in names)
    assert target.read_bytes() in (b"one", b"two")
    assert [p.name for p in tmp_path.iterdir()] == ["print.pdf"]
