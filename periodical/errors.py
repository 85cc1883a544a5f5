"""The two kinds of failure the command maps to exit codes.

InputError: the editor's data is wrong (exit 2). It carries every problem found in one run.
BuildError: the data is fine but the build could not finish (exit 1).
SetupError: the machine lacks what `make setup` installs (fonts, packages); exit 2, one line
saying which make target sets it up.
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


class SetupError(Exception):
    """What `make setup` installs is missing; the message names it and the make target to run."""

    @classmethod
    def from_exception(cls, e):
        """The set-up error a failed import or library load means, or None if it means another."""
        if isinstance(e, ModuleNotFoundError):
            return cls(f"the Python module '{(e.name or '?').split('.')[0]}' is missing: run `make setup` "
                       "(it installs requirements.txt into .venv), then use .venv/bin/python")
        if isinstance(e, OSError) and "cannot load library" in str(e):
            return cls(f"a system library is missing ({str(e).split(':')[0]}): run `make setup` "
                       "(it installs the Debian packages the project needs)")
        return None


class Problems:
    """Collects problems during a stage, so that one run reports all of them, and the warnings:
    what the stage repaired on its own (the build goes on, the editor is told)."""

    def __init__(self):
        self.items = []
        self.warnings = []

    def add(self, file, line, key, message):
        self.items.append(Problem(str(file), line, key, message))

    def warn(self, file, line, key, message):
        self.warnings.append(Problem(str(file), line, key, message))

    def raise_if_any(self):
        if self.items:
            raise InputError(self.items)


def rel(path):
    """A path as the editor typed it: relative to the working folder where possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError, OSError):     # outside the working folder; a symlink loop
        return str(path)
