"""The moto server's process: ``python -m aioswf.testing._moto_child HOST PORT``.

It serves until its standard input closes. The parent holds the other end of that pipe, so the
server ends with its parent however the parent ends: stop(), Ctrl-C, SIGTERM, even SIGKILL.
"""

from __future__ import annotations

import sys

from moto.server import ThreadedMotoServer


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    print("ready", flush=True)
    try:
        sys.stdin.buffer.read()  # returns at end of file: the parent closed it, or died
    finally:
        server.stop()


if __name__ == "__main__":
    main()
