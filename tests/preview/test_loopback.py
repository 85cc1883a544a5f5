"""The preview server listens on the loopback address only: read from the kernel's socket table."""
import re
import socket

import pytest

from ..conftest import write_flow_issue
from .test_serve import Server


def listening(port):
    """Local IPv4/IPv6 addresses (hex, as /proc/net/tcp* shows them) with a socket listening on port."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table, encoding="ascii").read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":          # 0A: LISTEN
                found.append(address)
    return found


def outside_address():
    """This machine's address on its default route, or None when it has only loopback."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))                        # no packet is sent
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_the_preview_listens_on_127_0_0_1_only(tmp_path):
    server = Server(write_flow_issue(tmp_path / "2024-03"), tmp_path / "out")
    try:
        port = int(re.search(r":(\d+)/", server.url).group(1))
        assert listening(port) == ["0100007F"]                      # 127.0.0.1, little-endian hex
        address = outside_address()
        if address is None:
            pytest.skip("no address besides loopback to try from")
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=5).close()
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        server.stop()
