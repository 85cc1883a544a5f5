"""Debian's headless Chromium, driven over the DevTools protocol: load a page, read its DOM, take a screenshot."""
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

# The flags that work on these machines: no sandbox as root, no GPU, and no background
# connections (the network is closed; Chromium would retry them at every start).
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1600,1000", "--remote-debugging-port=0")


def executable():
    return shutil.which("chromium") or "/usr/bin/chromium"


class Chromium:
    """One headless browser with a fresh profile and one tab."""

    def __init__(self, profile):
        self.profile = Path(profile)
        self.process = subprocess.Popen([executable(), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = self._devtools_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            tab = next(t for t in json.load(r) if t["type"] == "page")
        self.exit = contextlib.ExitStack()
        self.socket = self.exit.enter_context(connect(tab["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
        self.ids = itertools.count(1)
        self.call("Page.enable")

    def _devtools_port(self, timeout=60):
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")

    def call(self, method, **params):
        """Send one DevTools command and return its result (events in between are skipped)."""
        n = next(self.ids)
        self.socket.send(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == n:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def goto(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && document.getElementById('app') !== null")

    def js(self, expression):
        """Evaluate a JavaScript expression in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=180):
        """Poll until the expression is truthy; return its value (the timeout only guards a hang)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"never true in the page: {expression}")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.exit.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
