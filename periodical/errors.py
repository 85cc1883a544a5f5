"""The two kinds of failure the command maps to exit codes.

InputError: the editor's data is wrong (exit 2). It carries every problem found in one run.
BuildError: the data is fine but the build could not finish (exit 1).
"""
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, located as precisely as we can."""
    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self):
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class InputError(Exception):
    def __init__(self, problems):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.key or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    pass


class Problems:
    """Collects problems during a stage, so that one run reports all of them."""

    def __init__(self):
        self.items = []

    def add(self, file, line, key, message):
        self.items.append(Problem(str(file), line, key, message))

    def raise_if_any(self):
        if self.items:
            raise InputError(self.items)


def rel(path):
    """A path as the editor typed it: relative to the working folder where possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
