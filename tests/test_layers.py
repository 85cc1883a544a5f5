"""The folders are the pipeline: every import runs from a stage to itself, to an earlier stage,
or to a shared helper — never forward, so each stage can be read knowing only what came before."""
import ast
from pathlib import Path

from .conftest import ROOT

# intake (new issue, Word import) is a front door that writes issue folders, not a step of build();
# it cleans text as the text stage does and refuses photos by the loader's limits, so it ranks after them.
STAGES = ["model", "text", "intake", "compose", "render", "output", "check", "preflight", "preview"]
SHARED = {"errors", "fonts", "icc", "metadata"}
DRIVERS = {"build", "cli", "workers"}          # run the stages in order; nothing imports them back
# The preview server hands build() its rebuilds, as MkDocs' serve does, with the worker processes
# it keeps for all of them: the drivers a stage calls.
ALLOWED = {("preview.serve", "build"), ("preview.serve", "workers")}


def _rank(name):
    top = name.split(".")[0]
    if top in SHARED:
        return 0
    if top in DRIVERS:
        return len(STAGES) + 1
    return STAGES.index(top) + 1


def _imports():
    """(importing module, imported module) for every import of periodical's own code."""
    for path in sorted((ROOT / "periodical").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT / "periodical").with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("periodical"):
                base = node.module.removeprefix("periodical").lstrip(".")
                for alias in node.names:
                    yield module, base or alias.name


def test_every_module_lives_in_a_stage_or_is_shared():
    for path in (ROOT / "periodical").rglob("*.py"):
        parts = path.relative_to(ROOT / "periodical").parts
        assert len(parts) == 1 and (path.stem in SHARED | DRIVERS | {"__init__"}) or parts[0] in STAGES, path
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((ROOT / "periodical" / stage / "__init__.py").read_text()))
        assert doc and "May touch:" in doc, f"{stage}/__init__.py must say what the stage does and may touch"


def test_imports_run_backwards_only():
    wrong = []
    for module, target in _imports():
        if module.split(".")[0] in DRIVERS or (module, target) in ALLOWED:
            continue
        if _rank(target) > _rank(module) or (_rank(module) == 0 and _rank(target) != 0):
            wrong.append(f"{module} imports {target}")
    assert not wrong, wrong
    assert any(_rank(t) < _rank(m) for m, t in _imports() if _rank(m))      # the walk found imports at all
