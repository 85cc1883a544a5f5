"""The command run as a user runs it, within the bounds the issue promises for any input:
1.5 GB of address space and 20 s of CPU (past them the child fails or is killed by SIGXCPU)."""
import resource
import subprocess
import sys

from .conftest import ROOT

MEMORY = 1536 * 2 ** 20
CPU_SECONDS = 20


def limit():
    """preexec_fn: bound the child before it runs."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_bounded(*args, cwd, env=None, python_args=()):
    """make_issue.py ARGS in cwd, bounded; python_args go before the script (e.g. -c CODE instead)."""
    command = [sys.executable, *python_args] if python_args else [sys.executable, str(ROOT / "make_issue.py")]
    return subprocess.run([*command, *map(str, args)], cwd=cwd, env=env, preexec_fn=limit,
                          capture_output=True, text=True, timeout=300)
