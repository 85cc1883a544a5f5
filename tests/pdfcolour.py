"""Every use of DeviceRGB in a PDF, found from its bytes without the code under test.

The forms a press's preflight looks for: `rg`/`RG`; `cs`/`CS` naming DeviceRGB (directly or by a
colour-space resource) before `sc`/`scn`; Indexed, Pattern, Separation and DeviceN spaces whose
base or alternate is DeviceRGB; images, inline images, shadings and transparency groups in it.
Content streams are those of the pages, forms and tiling patterns.
"""
import pikepdf

RGB_NAMES = {"/DeviceRGB", "/RGB"}


def is_rgb(space, resources=None, depth=0):
    """Whether a colour space (a name, an array, or a resource name) is or rests on DeviceRGB."""
    if depth > 8 or space is None:
        return False
    if isinstance(space, pikepdf.Name):
        if str(space) in RGB_NAMES:
            return True
        named = (resources or {}).get("/ColorSpace", {}) if resources is not None else {}
        return str(space) in named and is_rgb(named[str(space)], resources, depth + 1)
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
            return is_rgb(space[1], resources, depth + 1)
        if family == "/Separation" and len(space) > 2:
            return is_rgb(space[2], resources, depth + 1)
        if family == "/DeviceN" and len(space) > 2:
            return is_rgb(space[2], resources, depth + 1)
    return False


def _in_content(drawing, resources, where):
    found = []
    for operands, op in pikepdf.parse_content_stream(drawing):
        op = str(op)
        if op in ("rg", "RG"):
            found.append((where, op))
        elif op in ("cs", "CS") and is_rgb(operands[0], resources):
            found.append((where, f"{op} {operands[0]}"))
        elif op == "INLINE IMAGE" and is_rgb(operands[0].obj.get("/ColorSpace"), resources):
            found.append((where, "inline image"))
    return found


def device_rgb(path):
    """[(where, how)] for every use of DeviceRGB in the PDF at path; [] if there is none."""
    found = []
    with pikepdf.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            found += _in_content(page, page.obj.get("/Resources"), f"p.{n}")
            if is_rgb(page.obj.get("/Group", {}).get("/CS")):
                found.append((f"p.{n}", "transparency group"))
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            what = f"object {obj.objgen[0]}"
            if obj.get("/Subtype") == "/Image" and is_rgb(obj.get("/ColorSpace")):
                found.append((what, "image"))
            if "/ShadingType" in obj and is_rgb(obj.get("/ColorSpace")):
                found.append((what, "shading"))
            if obj.get("/S") == "/Transparency" and is_rgb(obj.get("/CS")):
                found.append((what, "transparency group"))
            if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
                found += _in_content(obj, obj.get("/Resources"), what)
    return found
