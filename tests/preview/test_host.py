"""The preview server answers only requests addressed to the loopback, from its own pages.

A page opened elsewhere in the editor's browser could otherwise read the unpublished issue by
pointing a name of its own at 127.0.0.1 (DNS rebinding): such a request carries a foreign Host,
and a script's request a foreign Origin.
"""
import http.client
import re

import pytest

from ..conftest import write_issue
from .test_serve import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("host")
    running = Server(write_issue(folder / "2024-03"), folder / "out")
    yield running
    running.stop()


def get(server, path, **headers):
    """(status, body) of a GET sent to the server's port with exactly these headers."""
    connection = http.client.HTTPConnection("127.0.0.1", int(port_of(server)), timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        # The event stream never ends: read its first bytes only.
        return response.status, response.read(200 if path == "/events" else None).decode("utf-8")
    finally:
        connection.close()


def port_of(server):
    return re.search(r":(\d+)/", server.url).group(1)


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_the_loopback_names_are_served(server, name):
    status, body = get(server, "/", Host=f"{name}:{port_of(server)}")
    assert status == 200 and "<html" in body.lower()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "localhost:1",
                                  "127.0.0.1.evil.example:{port}", None])
@pytest.mark.parametrize("path", ["/", "/events", "/print.pdf"])
def test_a_foreign_host_is_refused_with_a_reason(server, host, path):
    headers = {} if host is None else {"Host": host.format(port=port_of(server))}
    status, body = get(server, path, **headers)
    assert status == 403
    assert body.startswith("Host ") and body.count("\n") == 1 and "is not this preview" in body


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:{port}.evil.example",
                                    "https://127.0.0.1:{port}", "null"])
def test_a_foreign_origin_is_refused_on_the_event_stream(server, origin):
    port = port_of(server)
    status, body = get(server, "/events", Host=f"127.0.0.1:{port}", Origin=origin.format(port=port))
    assert status == 403
    assert body.startswith("Origin ") and body.count("\n") == 1


def test_the_event_stream_serves_its_own_pages(server):
    port = port_of(server)
    status, body = get(server, "/events", Host=f"localhost:{port}", Origin=f"http://localhost:{port}")
    assert status == 200 and body.startswith("event: state")
