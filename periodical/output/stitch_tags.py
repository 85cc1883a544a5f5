"""The stitched issue's structure tree, merged from the parts' trees (for stitch.py).

`merge(out, parts, dropped)` makes one tree, as WeasyPrint makes it of the issue drawn at once:
a root with one Document element holding the parts' elements in order (the parts' own Documents
dissolved, and their orphans, elements only the parent tree reaches, moved under it); the parent
tree renumbered part after part; element IDs (and the table cells' /Headers naming them) kept
apart; namespaces, role and class maps joined, the first part's winning; the references to the
links stitch.py removed dropped.

May touch: the issue's PDF: its structure tree, made of the parts' trees as stitch.py copied them,
and the /StructParents and /StructParent keys of its pages and annotations. Touches nothing on disk.
"""
from dataclasses import dataclass, field

from pikepdf import Array, Dictionary, Name, String


@dataclass
class Tree:
    """The issue's structure tree while the parts are added to it."""
    root: Dictionary
    document: Dictionary = None
    nums: list = field(default_factory=list)        # (key, value) of the parent tree
    next_key: int = 0
    namespaces: dict = field(default_factory=dict)  # namespace URI → the first part's Namespace
    ids: dict = field(default_factory=dict)         # element ID → element
    role_map: dict = field(default_factory=dict)
    class_map: dict = field(default_factory=dict)


def merge(out, parts, dropped):
    """One structure tree: a root, one Document element, the parts' elements under it in order.

    parts: each part's structure tree root (.tree, None if it has none) and its pages (.pages), as
    copied into out, in order;
    dropped: page objgen → the annotations removed from it, whose references go too.

    One Document, not one per part. PDF 1.7 would allow several children of the root (ISO 32000-1
    Table 322), but the issue is one document, the one WeasyPrint makes of it drawn at once, and
    PDF/UA-2 (ISO 14289-2 8.2.5.2, after ISO 32000-2 Annex L) wants "a single Document structure
    element as its only child" of the root, in the PDF 2.0 namespace the parts' Documents declare.
    """
    tagged = [(i, part) for i, part in enumerate(parts) if part.tree is not None]
    if not tagged:
        return
    tree = Tree(out.make_indirect(Dictionary(Type=Name.StructTreeRoot)))
    tree.document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree.root, K=Array()))
    for i, part in tagged:
        _add_part(tree, i, part, dropped)
    root = tree.root
    root.K = Array([tree.document])
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array(
        [item for key, value in sorted(tree.nums, key=lambda kv: kv[0]) for item in (key, value)])))
    root.ParentTreeNextKey = tree.next_key
    if tree.namespaces:
        root.Namespaces = Array(list(tree.namespaces.values()))
    if tree.ids:
        keys = sorted(tree.ids, key=lambda k: k.encode("utf-8"))
        root.IDTree = out.make_indirect(Dictionary(Names=Array(
            [item for key in keys for item in (String(key), tree.ids[key])])))
    for key, values in (("/RoleMap", tree.role_map), ("/ClassMap", tree.class_map)):
        if values:
            root[key] = Dictionary({k: values[k] for k in sorted(values)})
    out.Root.StructTreeRoot = root


def _add_part(tree, index, part, dropped):
    """Join one part's tree (copied by stitch.py) to the issue's: elements, parent tree keys,
    namespaces, IDs."""
    root = part.tree
    for ns in root.get("/Namespaces", ()):
        tree.namespaces.setdefault(str(ns.get("/NS", "")), ns)
    for key, target in (("/RoleMap", tree.role_map), ("/ClassMap", tree.class_map)):
        for name, value in _items(root.get(key)):
            target.setdefault(name, value)
    olds, tops = {root.objgen}, []
    for elem in _kids(root):
        if elem.get("/S") == Name.Document:
            olds.add(elem.objgen)
            if "/NS" in elem and "/NS" not in tree.document:
                tree.document.NS = _namespace(elem.NS, tree)
            tops.extend(_kids(elem, all_kids=True))
        else:
            tops.append(elem)
    tree.document.K.extend(tops)
    adopted = _adopt(tops, tree.document, tree, index, set())
    entries = [(int(k), v) for k, v in leaves(root.get("/ParentTree"))]
    for _, value in entries:
        if isinstance(value, Array):      # a page's elements: some hang from no K (margin boxes)
            _adopt_orphans(value, olds, tree, index, adopted)
    _renumber(tree, part, entries, dropped)


def _renumber(tree, part, entries, dropped):
    """Move the part's parent tree keys past those used already (no two parts share a key)."""
    offset, used = tree.next_key, [key for key, _ in entries]
    removed = {}                # key → annotation that went with its link (stitch.py, _named_links)
    for page in part.pages:
        for annot in dropped.get(page.objgen, ()):
            if "/StructParent" in annot:
                removed[int(annot.StructParent)] = annot
        if "/StructParents" in page:
            used.append(int(page.StructParents))
            page.StructParents = int(page.StructParents) + offset
        for annot in page.get("/Annots", ()):
            if isinstance(annot, Dictionary) and "/StructParent" in annot:
                used.append(int(annot.StructParent))
                annot.StructParent = int(annot.StructParent) + offset
    for key, value in entries:
        if key in removed:
            _drop_object_reference(value, removed[key])
        else:
            tree.nums.append((key + offset, value))
    tree.next_key = offset + max(used, default=-1) + 1


def _kids(elem, all_kids=False):
    """The structure elements of /K (with all_kids, any kid: MCIDs and references too)."""
    k = elem.get("/K")
    kids = list(k) if isinstance(k, Array) else [] if k is None else [k]
    return kids if all_kids else [kid for kid in kids if _is_element(kid)]


def _is_element(obj):
    return isinstance(obj, Dictionary) and "/S" in obj


def _adopt(elements, parent, tree, index, seen):
    """Walk the elements' subtrees: /P to the parent that lists each, namespaces and IDs joined."""
    stack = [(elem, parent) for elem in reversed(elements) if _is_element(elem)]
    while stack:
        elem, parent = stack.pop()
        if elem.objgen in seen:
            continue
        seen.add(elem.objgen)
        elem.P = parent
        _join_keys(elem, tree, index)
        stack.extend((kid, elem) for kid in reversed(_kids(elem)))
    return seen


def _adopt_orphans(elements, olds, tree, index, adopted):
    """Elements only the parent tree reaches: WeasyPrint tags margin boxes (running heads,
    folios) under its Document but lists them in no /K. Their tops move to the issue's Document."""
    for elem in elements:
        chain = []
        while isinstance(elem, Dictionary) and elem.objgen not in adopted and len(chain) < 256:
            chain.append(elem)
            parent = elem.get("/P")
            if isinstance(parent, Dictionary) and parent.objgen in olds:
                _adopt([elem], tree.document, tree, index, adopted)
                break
            elem = parent
        else:
            adopted.update(e.objgen for e in chain if isinstance(e, Dictionary))


def _join_keys(elem, tree, index):
    keys = elem.keys()
    if "/NS" in keys:
        elem.NS = _namespace(elem.NS, tree)
    if "/ID" in keys:
        # WeasyPrint names table headers by object number, which every part starts again.
        new = _element_id(str(elem.ID), index)
        elem.ID = String(new)
        tree.ids.setdefault(new, elem)
    if "/A" in keys:
        for attributes in (elem.A if isinstance(elem.A, Array) else [elem.A]):
            if isinstance(attributes, Dictionary) and isinstance(attributes.get("/Headers"), Array):
                attributes.Headers = Array([String(_element_id(str(h), index)) for h in attributes.Headers])


def _element_id(name, index):
    return name if index == 0 else f"p{index}:{name}"


def _namespace(ns, tree):
    return tree.namespaces.setdefault(str(ns.get("/NS", "")), ns) if isinstance(ns, Dictionary) else ns


def _drop_object_reference(elem, annot):
    """Take the reference to a removed annotation out of its element's /K."""
    kids = _kids(elem, all_kids=True) if isinstance(elem, Dictionary) else []
    elem.K = Array([kid for kid in kids if not (isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR
                                                and kid.get("/Obj") is not None and kid.Obj.objgen == annot.objgen)])


def leaves(node, entries="/Nums", depth=0):
    """(key, value) of a number tree ("/Nums") or a name tree ("/Names"), leaves in order."""
    if not isinstance(node, Dictionary) or depth > 32:
        return
    items = node.get(entries)
    if isinstance(items, Array):
        for i in range(0, len(items) - 1, 2):
            yield items[i], items[i + 1]
    for kid in node.get("/Kids", ()):
        yield from leaves(kid, entries, depth + 1)


def _items(obj):
    return list(obj.items()) if isinstance(obj, Dictionary) else []

