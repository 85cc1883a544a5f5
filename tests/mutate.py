"""Mutation check of the core checks: does the suite notice when one comparison flips?

`make mutants` (not part of `make test`). For each module below, every mutation point is found
in its syntax tree — `<`↔`<=`, `>`↔`>=`, `==`↔`!=`, `in`↔`not in`, `is`↔`is not`, `and`↔`or`,
`not x`→`x`, `True`↔`False`, a number ±1 — and each mutant is written, alone, into a copy of the
project in a temporary folder (never the working tree), where the tests that cover that module
run with `-x` and a time limit. A mutant is killed when they fail (or time out). Each module's
list starts with its fast tests (small inputs made in the test: PDFs written with pikepdf, a few
pages laid out by WeasyPrint, lines placed by hand), so a killed mutant costs a few seconds and a
survivor the whole list, up to a few minutes. The modules have several hundred points, so a
fixed-seed sample of each module's points runs (`--sample N` per module, `--all` for every point).
No point is left out: the few no input can tell apart (README, "Mutation check") count as survivors.

    python tests/mutate.py [--sample 10] [--all] [--seed 1] [--module check.py] [--list]
"""
import argparse
import ast
import copy
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module → the tests that cover it, fastest first (each builds small issues or renders fixtures).
MODULES = {
    "periodical/check/check.py": [
        "tests/check/test_check.py", "tests/check/test_drift.py",
        "tests/test_cli_exits.py::test_strict_refuses_rgb_and_an_undeclared_font_from_a_house_style",
        "tests/test_hostile.py::test_text_beyond_the_planned_pages_is_reported_not_dropped"],
    "periodical/check/flatplan.py": ["tests/check/test_flatplan.py", "tests/preview/test_badges.py"],
    "periodical/render/facts.py": [
        "tests/render/test_facts.py", "tests/check/test_flatplan.py", "tests/render/test_parts.py",
        "tests/preview/test_badges.py"],
    "periodical/preflight/print_rules.py": [
        "tests/preflight/test_print_rules.py", "tests/preflight/test_rule_fixtures.py",
        "tests/preflight/test_device_rgb.py", "tests/preflight/test_preflight.py"],
    "periodical/preflight/pdfa_rules.py": ["tests/preflight/test_pdfa_rules.py", "tests/preflight/test_rule_fixtures.py"],
    "periodical/check/typography.py": ["tests/check/test_typography.py"],
}
TIMEOUT = 300            # s per mutant: a mutant that hangs the tests counts as killed
SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
        ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def points(tree):
    """(description, function that mutates a copy of the tree) for each mutation point."""
    found = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in SWAP:
                    found.append((f"line {line}: {type(op).__name__} → {SWAP[type(op)].__name__}", index,
                                  lambda n, k=k: n.ops.__setitem__(k, SWAP[type(n.ops[k])]())))
        elif isinstance(node, ast.BoolOp):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            found.append((f"line {line}: {type(node.op).__name__} → {other.__name__}", index,
                          lambda n, other=other: setattr(n, "op", other())))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((f"line {line}: not x → x", index, lambda n: setattr(n, "op", ast.UAdd())))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            found.append((f"line {line}: {node.value} → {not node.value}", index,
                          lambda n: setattr(n, "value", not n.value)))
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            for delta in (1, -1):
                found.append((f"line {line}: {node.value} → {node.value + delta}", index,
                              lambda n, d=delta: setattr(n, "value", n.value + d)))
    return found


def mutant(tree, index, change):
    """The module's source with the one change at node `index` (the tree itself is left alone)."""
    tree = copy.deepcopy(tree)
    node = list(ast.walk(tree))[index]
    change(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):      # `not x` → `x`, not `+x`
        _replace(tree, node, node.operand)
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
            elif isinstance(value, list):
                parent.__dict__[field] = [new if v is old else v for v in value]


def copy_project(dest):
    """The project without its git history, venv, builds and caches; fonts linked, not copied."""
    ignore = shutil.ignore_patterns(".git", ".venv", "build", "archive", "__pycache__", ".pytest_cache",
                                    ".hypothesis", "fonts", "bench")
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    (dest / "fonts").symlink_to(ROOT / "fonts")
    return dest


def run_tests(project, tests, env):
    """True when the tests fail (the mutant is killed)."""
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                              cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return True
    return proc.returncode != 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=10, help="mutants per module (default 10: about 8 minutes)")
    parser.add_argument("--all", action="store_true", help="every mutation point")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--module", action="append", help="only these modules (file name)")
    parser.add_argument("--list", action="store_true", help="count the points and stop")
    args = parser.parse_args()
    modules = {m: t for m, t in MODULES.items() if not args.module or Path(m).name in args.module}
    with tempfile.TemporaryDirectory(prefix="periodical-mutants-") as tmp:
        project = copy_project(Path(tmp) / "project")
        env = dict(os.environ, PERIODICAL_TEST_CACHE=str(Path(tmp) / "cache"), PYTHONDONTWRITEBYTECODE="1")
        (Path(tmp) / "cache").mkdir()
        results = {}
        for module, tests in modules.items():
            source = (ROOT / module).read_text(encoding="utf-8")
            tree = ast.parse(source)
            found = points(tree)
            chosen = found if args.all else random.Random(args.seed).sample(found, min(args.sample, len(found)))
            print(f"{module}: {len(found)} mutation points, running {len(chosen)}", flush=True)
            if args.list:
                continue
            target = project / module
            # The untouched module, as ast.unparse writes it, must pass: otherwise nothing is measured.
            target.write_text(ast.unparse(tree), encoding="utf-8")
            if run_tests(project, tests, env):
                sys.exit(f"{module}: the tests fail without a mutant; fix them first")
            killed, survived = 0, []
            for what, index, change in chosen:
                t0 = time.monotonic()
                target.write_text(mutant(tree, index, change), encoding="utf-8")
                dead = run_tests(project, tests, env)
                killed += dead
                if not dead:
                    survived.append(what)
                print(f"  {'killed  ' if dead else 'SURVIVED'} {what} ({time.monotonic() - t0:.0f} s)", flush=True)
            target.write_text(source, encoding="utf-8")
            results[module] = (killed, len(chosen), len(found), survived)
        if not args.list:
            print("\nmodule: killed / run (points in the module)")
            for module, (killed, run, total, survived) in results.items():
                print(f"{module}: {killed}/{run} killed ({100 * killed / run:.0f}%), {total} points")
                for what in survived:
                    print(f"    survived: {what}")
            all_killed, all_run = sum(r[0] for r in results.values()), sum(r[1] for r in results.values())
            print(f"total: {all_killed}/{all_run} killed ({100 * all_killed / all_run:.0f}%)")


if __name__ == "__main__":
    main()
