"""DeviceRGB in every form it can take: the test's own detector is tried on a hand-made PDF of each
form (tests/output/test_outputs.py then reads our print file with it); preflight's print rules must catch each form too."""
import zlib

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from .. import pdfcolour
from ..conftest import run_cli

RED = zlib.compress(bytes([200, 30, 30]) * 4)


def _image(pdf, space):
    return pdf.make_stream(RED if space != "indexed" else zlib.compress(bytes(4)), Type=Name.XObject,
                           Subtype=Name.Image, Width=2, Height=2, BitsPerComponent=8, Filter=Name.FlateDecode,
                           ColorSpace=Name.DeviceRGB if space != "indexed" else
                           Array([Name.Indexed, Name.DeviceRGB, 0, pikepdf.String(bytes([200, 30, 30]))]))


def make(path, form):
    """A one-page PDF whose only colour is DeviceRGB used in the way `form` names (or none: 'cmyk')."""
    pdf = pikepdf.new()
    resources = Dictionary()
    content = {
        "rg": b"1 0 0 rg 10 10 50 50 re f",
        "RG": b"1 0 0 RG 10 10 m 50 50 l S",
        "cs-sc": b"/DeviceRGB cs 1 0 0 sc 10 10 50 50 re f",
        "cs-scn-resource": b"/CS0 cs 1 0 0 scn 10 10 50 50 re f",
        "indexed": b"/CS1 cs 0 sc 10 10 50 50 re f",
        "image": b"q 50 0 0 50 10 10 cm /Im0 Do Q",
        "indexed-image": b"q 50 0 0 50 10 10 cm /Im0 Do Q",
        "inline-image": b"q 50 0 0 50 10 10 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xc8\x1e\x1e EI Q",
        "shading": b"/Sh0 sh",
        "form": b"/Fm0 Do",
        "cmyk": b"0 1 1 0 k 10 10 50 50 re f /DeviceCMYK cs 0 0 0 1 sc 60 60 20 20 re f",
    }[form]
    if form == "cs-scn-resource":
        resources.ColorSpace = Dictionary(CS0=Name.DeviceRGB)
    if form == "indexed":
        resources.ColorSpace = Dictionary(CS1=Array([Name.Indexed, Name.DeviceRGB, 0,
                                                     pikepdf.String(bytes([200, 30, 30]))]))
    if form in ("image", "indexed-image"):
        resources.XObject = Dictionary(Im0=_image(pdf, "indexed" if form == "indexed-image" else "rgb"))
    if form == "shading":
        resources.Shading = Dictionary(Sh0=pdf.make_indirect(Dictionary(
            ShadingType=2, ColorSpace=Name.DeviceRGB, Coords=Array([0, 0, 100, 0]),
            Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([1, 0, 0]), C1=Array([0, 0, 1]), N=1))))
    if form == "form":
        resources.XObject = Dictionary(Fm0=pdf.make_stream(b"0 0 1 rg 0 0 20 20 re f", Type=Name.XObject,
                                                           Subtype=Name.Form, BBox=Array([0, 0, 100, 100])))
    pdf.pages.append(pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 200, 200]),
                                             Resources=resources, Contents=pdf.make_stream(content))))
    pdf.save(path)
    return path


FORMS = ("rg", "RG", "cs-sc", "cs-scn-resource", "indexed", "image", "indexed-image", "inline-image",
         "shading", "form")


@pytest.mark.parametrize("form", FORMS)
def test_the_detector_finds_each_form_of_device_rgb(tmp_path, form):
    assert pdfcolour.device_rgb(make(tmp_path / f"{form}.pdf", form)), form


def test_the_detector_finds_nothing_in_a_cmyk_page(tmp_path):
    assert pdfcolour.device_rgb(make(tmp_path / "cmyk.pdf", "cmyk")) == []


@pytest.mark.parametrize("form", FORMS)
def test_print_preflight_refuses_each_form_of_device_rgb(tmp_path, form):
    proc = run_cli("preflight", make(tmp_path / f"{form}.pdf", form), "--rules", "print")
    assert proc.returncode == 1
    assert "DeviceRGB" in proc.stdout, (form, proc.stdout)
