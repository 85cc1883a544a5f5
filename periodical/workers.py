"""The worker processes a build runs its longest steps in, beside its own: copy fitting's
searches, the settling of unplanned runs, preflight of all but one file.

`start_helpers` starts them (none on one core); `parallel` hands them jobs, each process taking
the next job when it is free, the costliest first, so that the longest job is not left for last
with one core working while the other idles.
"""
import contextlib
import multiprocessing
import os
from dataclasses import dataclass


@dataclass
class Helpers:
    pool: object            # multiprocessing.Pool
    workers: int
    taken: object           # shared [the parallel call's number, the jobs it has given out]


@contextlib.contextmanager
def start_helpers():
    """Worker processes beside this one for the build's longest steps (copy fitting, settling,
    preflight), or None on one core. A build starts its own, so that each imports WeasyPrint and
    pikepdf while this process loads the issue, and stops them however it ends (Ctrl-C included);
    the preview server keeps one set for all its builds. forkserver, not fork: the preview server
    builds from a thread, and forking a threaded process can copy a held lock into the child."""
    workers = (os.cpu_count() or 1) - 1
    if workers < 1:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    taken = context.Array("i", 2)
    with context.Pool(workers, initializer=_start_helper, initargs=(taken,)) as pool:
        yield Helpers(pool, workers, taken)


def _start_helper(taken):
    # Imported while the build loads the issue, not when the first job comes.
    global _TAKEN
    _TAKEN = taken
    from periodical.preflight import preflight  # noqa: F401
    from periodical.render import paginate  # noqa: F401


_TAKEN = None           # in a helper, Helpers.taken


def parallel(helpers, work, jobs, cost=None):
    """[work(*job) for each job], computed in this process and in the helpers, each taking the
    next job when it is free, the costliest first (so that the longest is not left for last, one
    core working while the other idles). A job is given out once; a call's number tells a helper
    still busy with the jobs of a superseded build (the preview server's) to stop taking them."""
    if helpers is None or len(jobs) < 2:
        return [work(*job) for job in jobs]
    order = sorted(range(len(jobs)), key=lambda n: -cost(jobs[n])) if cost else list(range(len(jobs)))
    with helpers.taken.get_lock():
        helpers.taken[0], helpers.taken[1] = helpers.taken[0] + 1, 0
        call = helpers.taken[0]
    pending = [helpers.pool.apply_async(_drain, (work, jobs, order, call))
               for _ in range(min(helpers.workers, len(jobs) - 1))]
    found = _drain(work, jobs, order, call, helpers.taken)
    for away in pending:
        found.update(away.get())
    return [found[n] for n in range(len(jobs))]


def _drain(work, jobs, order, call, taken=None):
    """Compute the next job not given out, until none is left or another call began: {job number: result}."""
    taken, found = taken or _TAKEN, {}
    while True:
        with taken.get_lock():
            if taken[0] != call or taken[1] >= len(order):
                return found
            k = taken[1]
            taken[1] += 1
        found[order[k]] = work(*jobs[order[k]])
