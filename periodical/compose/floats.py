"""Deferred photos and pull quotes: an insert moved later in the text, so the text fills the column.

compose places column photos and pull quotes between the body's top-level blocks (`_place`).
A photo that does not fit at the foot of a column goes to the next one, and WeasyPrint takes
the text after it along, leaving a hole. The renderer (render/floats.py) finds such inserts on
the laid-out pages and asks for them to be deferred: `defer` moves the n-th insert of an
article past the next text blocks, as Typst and LaTeX queue a float while the text flows on.
Inserts keep their order (one never overtakes another), and never stand where they would part
text that reads as one (`may_stand`): between a heading and its text, or between a lead-in
paragraph ending in a colon and the list, quote or code block it introduces.
"""
import re

from periodical.text.text import printed_text

# A placed column photo or pull quote (whatever other attributes, an id, its tag carries).
INSERT = re.compile(r'<(?:figure|blockquote)\b[^>]*\bclass="(?:photo size-column|pullquote)\b')
# Block elements markdown-it writes, and the inserts compose places; a block ends on the line where
# all it opened is closed (a paragraph with a soft line break, a code block, a table, a list stay whole).
_OPEN = re.compile(r"<(?:p|pre|table|blockquote|ul|ol|figure|h[1-6])[ >]")
_CLOSE = re.compile(r"</(?:p|pre|table|blockquote|ul|ol|figure|h[1-6])>")


def defer(body, shifts):
    """The body HTML with its n-th insert moved past shifts[n] more text blocks."""
    if not any(shifts):
        return body
    blocks = top_level(body)
    text = [b for b in blocks if not INSERT.match(b.lstrip())]
    # Each insert stands after a number of text blocks; a deferral raises that number.
    seen, at = 0, []
    for b in blocks:
        if INSERT.match(b.lstrip()):
            at.append((seen, b))
        else:
            seen += 1
    allowed = [g for g in range(len(text) + 1) if may_stand(text, g)]
    placed, floor = [], 0
    for n, (gap, insert) in enumerate(at):
        step = next(k for k, g in enumerate(allowed) if g >= gap) + (shifts[n] if n < len(shifts) else 0)
        gap = max(floor, allowed[min(step, len(allowed) - 1)])
        placed.append((gap, insert))
        floor = gap                     # the next insert never stands before this one
    out = []
    for n in range(len(text) + 1):
        out.extend(insert for gap, insert in placed if gap == n)
        if n < len(text):
            out.append(text[n])
    return "".join(out)


# What a lead-in paragraph introduces: a list, a quotation or box, a code block, a table.
_INTRODUCED = re.compile(r"\s*<(?:ul|ol|blockquote|pre|table)\b")
_LEAD_IN = re.compile(r"[：:]\s*$")


def may_stand(text, gap):
    """Whether an insert may stand in `gap` of the text blocks (0: before the first, len(text): after the last).

    Not between a heading and its text, nor between a paragraph ending in a colon (：or :) and the
    list, quote or code block it introduces; a reader takes either pair as one. Inserts never go
    inside a block (a list is one block), and the ends always take them.
    """
    if gap <= 0 or gap >= len(text):
        return True
    before, after = text[gap - 1].lstrip(), text[gap]
    if before.startswith("<h"):
        return False
    return not (before.startswith("<p") and _LEAD_IN.search(printed_text(before))
                and _INTRODUCED.match(after))


def close(body, credit):
    """The body with `credit` (the article's closing credit) after its last text block, before the
    inserts that follow it: a credit closes the text, not the photo placed at the article's end."""
    blocks = top_level(body)
    last = max((n for n, b in enumerate(blocks) if not INSERT.match(b.lstrip())), default=-1)
    return "".join(blocks[:last + 1]) + credit + "".join(blocks[last + 1:])


def blocks(html):
    """Split body HTML into its top-level blocks, in order, as compose places inserts between them."""
    out, depth = [], 0
    for line in html.splitlines(keepends=True):
        if depth == 0:
            out.append("")
        out[-1] += line
        depth += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
    return out


def top_level(html):
    """The placed body's top-level blocks: paragraphs, headings, lists, boxes, inserts."""
    return [b for b in blocks(html) if b.strip()]
