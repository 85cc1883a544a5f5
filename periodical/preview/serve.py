"""The preview server: the issue's spreads in a browser, rebuilt whenever a file is saved.

As MkDocs' serve hands its server a builder closure: `build()` runs once at start and again
after each debounced batch of changes under the issue folder or layouts/; it writes the PDF and
the preview pages into the output folder, which the server shows. Browsers follow by server-sent
events: "rebuilding…" while a build runs, then the pages laid out anew as soon as they are laid out
(a draft, drawn alone: the fast path), then the pages of the written print.pdf; a newer save
stops a build still running. A build that fails leaves the last good pages in place and shows
its problems (file, line, key) above them; nothing an editor saves stops the server. It listens
on 127.0.0.1 only, and answers only requests addressed to the loopback by name (`Host`
127.0.0.1, localhost or [::1] with its port) and, when a browser says where a request comes from
(`Origin`), made by its own pages: a web page opened elsewhere cannot read the unpublished issue
by pointing a name of its own at 127.0.0.1 (DNS rebinding).
"""
import json
import re
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from periodical import build as pipeline
from periodical import workers
from periodical.compose.compose import LAYOUTS
from periodical.errors import BuildError, InputError, Problem, rel
from periodical.preview import preview, raster

HOST = "127.0.0.1"
DEBOUNCE_MS = 1600           # longest wait to gather one save's burst of file events
STEP_MS = 50                 # a quiet gap this long ends the burst (a newer burst stops the build anyway)
HEARTBEAT_S = 15             # keeps idle event streams open through proxies and notices closed tabs
IMAGE = re.compile(r"[0-9a-f]+(\.thumb)?\.png")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Preview:
    """What the browsers are shown: the last good build, the errors of the last attempt, progress."""

    def __init__(self, issue_dir, out_dir, log):
        self.issue_dir, self.out_dir, self.log = Path(issue_dir), Path(out_dir), log
        self.changed = threading.Condition()
        self.version = 0          # builds whose outcome (new pages, or errors) the browsers were shown
        self.started = 0.0
        self.status = "idle"
        self.message = ""
        self.errors = []
        self.draft = None         # the pages of a build laid out but not yet written (preview.draft)
        self.superseded = threading.Event()     # a newer save: the running build stops at its next stage
        self.worker = None
        self.helpers = None       # workers.start_helpers(), kept for every build: a save starts none

    @property
    def folder(self):
        return self.out_dir / "preview"

    def state(self):
        return {"version": self.version, "status": self.status, "message": self.message}

    def page(self):
        with self.changed:
            errors, status, version, draft = list(self.errors), self.status, self.version, self.draft
        return preview.html(draft or preview.load(self.folder), errors, live=True, status=status, version=version)

    def _set(self, **values):
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.changed.notify_all()

    def rebuild(self):
        """Build the issue; on failure keep the last good pages and record why."""
        self._set(status="building", message="")
        self.started = started = time.perf_counter()
        version, errors = self.version, []
        try:
            pipeline.build(self.issue_dir, self.out_dir, progress=self._progress, shown=self._shown,
                           laid_out=self._laid_out, helpers=self.helpers)
        except Superseded:
            self.log(f"a newer save: this build stops after {time.perf_counter() - started:.1f} s")
            return
        except InputError as e:
            errors = list(e.problems)
        except BuildError as e:
            errors = [Problem("", None, None, f"build failed: {e}")]
        except Exception as e:       # a bug of ours: report it on the page and keep serving
            traceback.print_exc(file=sys.stderr)
            errors = [Problem("", None, None, f"internal error: {type(e).__name__}: {e}")]
        seconds = time.perf_counter() - started
        for e in errors:
            self.log(f"  {e}" if e.file else f"  {e.message}")
        self.log(f"rebuild failed after {seconds:.1f} s ({len(errors)} problem(s)); the last good pages stay"
                 if errors else f"rebuilt in {seconds:.1f} s")
        # A build that failed before its pages were shown counts as a build of its own.
        shown = self.version > version and not errors
        self._set(errors=errors, status="idle", message="", draft=None, version=self.version + (0 if shown else 1))

    def _laid_out(self, rendered):
        # The fast path: the pages laid out anew, drawn alone, before the PDFs are written.
        try:
            draft = preview.draft(self.folder, rendered)
        except Exception:       # a bug of ours in the draft: say so, and let the build show the pages
            traceback.print_exc(file=sys.stderr)
            return
        if draft:
            after = "" if rendered.complete else f" (the pages after p.{len(rendered.pages)} move: being laid out)"
            self.log(f"{len(rendered.redrawn)} pages laid out anew shown after "
                     f"{time.perf_counter() - self.started:.1f} s{after}")
            self._set(errors=[], status="writing" if rendered.complete else "moving", message="", draft=draft,
                      version=self.version + 1)

    def _shown(self):
        # The new pages are written: refresh the browsers now; the checks that follow change nothing they show.
        self.log(f"pages shown after {time.perf_counter() - self.started:.1f} s; checking")
        self._set(errors=[], status="checking", message="", draft=None, version=self.version + 1)

    def _progress(self, message):
        if self.superseded.is_set():
            raise Superseded()
        self.log(message)
        self._set(message=message)

    def restart(self):
        """Build in the background; a build still running stops at its next stage and gives way.

        Its writes are atomic and the report is written last, so what it leaves is whole files,
        which the new build makes again.
        """
        if self.worker is not None and self.worker.is_alive():
            self.superseded.set()
            self.worker.join()
        self.superseded.clear()
        self.worker = threading.Thread(target=self.rebuild, daemon=True)
        self.worker.start()


class Superseded(Exception):
    """Raised in a build whose input changed again while it ran."""


def watch(state, stop):
    """Build once, then rebuild after every batch of saved files until `stop` is set."""
    before = _snapshot(state.issue_dir, LAYOUTS)
    state.rebuild()
    out = state.out_dir.resolve()
    ignore = watchfiles.DefaultFilter()

    def wanted(change, path):
        return ignore(change, path) and not Path(path).resolve().is_relative_to(out)
    while not stop.is_set():
        try:
            for changes in watchfiles.watch(state.issue_dir, LAYOUTS, watch_filter=wanted, debounce=DEBOUNCE_MS,
                                            step=STEP_MS, stop_event=stop, rust_timeout=500, yield_on_timeout=True):
                if before is not None:
                    # The watcher is running now: a file saved while the first build ran, before
                    # it started, would otherwise wait for the next save (a save it reports is
                    # rebuilt for below, with whatever else changed).
                    if not changes and _snapshot(state.issue_dir, LAYOUTS) != before:
                        state.log("changed during the first build; rebuilding")
                        state.restart()
                    before = None
                if not changes:
                    continue
                names = sorted({rel(p) for _, p in changes})
                state.log(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; rebuilding")
                state.restart()
        except Exception as e:       # e.g. the issue folder was moved away: try again, keep serving
            state.log(f"watching stopped ({type(e).__name__}: {e}); retrying")
            stop.wait(2)


def _snapshot(*folders):
    return {p: p.stat().st_mtime_ns for folder in folders for p in Path(folder).rglob("*") if p.is_file()}


def refusal(headers, port):
    """Why a request must not be served (its Host or Origin is not this server's), or None."""
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    host = (headers.get("Host") or "").strip().lower()
    if host not in hosts:
        return f"Host {host or '(none)'!r} is not this preview; open http://{HOST}:{port}/"
    origin = headers.get("Origin")
    if origin is not None and origin.strip().lower() not in {f"http://{h}" for h in hosts}:
        return f"Origin {origin!r} is not this preview: only its own pages may read it"
    return None


def handler(state):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            why = refusal(self.headers, self.server.server_address[1])
            if why:
                return self._refuse(why)
            path = self.path.split("?")[0]
            if path in ("/", "/index.html"):
                return self._send(state.page().encode("utf-8"), "text/html; charset=utf-8", "no-store")
            if path == "/events":
                return self._events()
            if path == "/print.pdf":
                return self._file(state.out_dir / "print.pdf", "application/pdf", "no-store")
            name = path.removeprefix("/pages/")
            if path.startswith("/pages/") and IMAGE.fullmatch(name):
                raster.ready(name.split(".")[0])        # a draft's large image may still be being written
                # Named by their pixels: a name never shows another picture.
                return self._file(state.folder / "pages" / name, "image/png", "max-age=31536000, immutable")
            self.send_error(HTTPStatus.NOT_FOUND)

        def _refuse(self, why):
            data = (why + "\n").encode("utf-8")
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _file(self, path, kind, cache):
            try:
                data = path.read_bytes()
            except OSError:
                return self.send_error(HTTPStatus.NOT_FOUND)
            self._send(data, kind, cache)

        def _send(self, data, kind, cache):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", cache)
            self.end_headers()
            self.wfile.write(data)

        def _events(self):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            sent = None
            try:
                while True:
                    with state.changed:
                        if state.state() == sent:
                            state.changed.wait(HEARTBEAT_S)
                        current = state.state()
                    if current != sent:
                        self.wfile.write(f"event: state\ndata: {json.dumps(current)}\n\n".encode())
                        sent = current
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass                      # the tab was closed

        def log_message(self, format, *args):
            pass                          # one line per image request would drown the build's progress
    return Handler


def serve(issue_dir, out_dir=None, port=8000, log=None):
    """Serve the preview of issue_dir on 127.0.0.1:port until interrupted; return the exit code."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    issue_dir = Path(issue_dir)
    if not (issue_dir / "issue.yaml").is_file():
        log(f"{issue_dir}: not an issue folder (no issue.yaml)")
        return 2
    state = Preview(issue_dir, out_dir or pipeline.default_out(issue_dir), log)
    try:
        server = ThreadingHTTPServer((HOST, port), handler(state))
    except OSError as e:
        log(f"cannot listen on {HOST}:{port}: {e.strerror}; choose another port with --port")
        return 1
    server.daemon_threads = True
    print(f"preview of {issue_dir} at http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    stop = threading.Event()
    with workers.start_helpers() as state.helpers:
        watcher = threading.Thread(target=watch, args=(state, stop), daemon=True)
        watcher.start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log("stopped; the last build's files stay in " + str(state.out_dir))
        finally:
            stop.set()
            server.server_close()
    return 0
