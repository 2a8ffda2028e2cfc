"""A shard helper process (``tantivy_backend.ShardWorker``):

    python -m congso.kernel.search.backends.shard_helper READ_FD WRITE_FD

reads its requests from READ_FD and answers on WRITE_FD (pickles, as
``multiprocessing.connection`` frames them). No Django: it only opens the index.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection


def main(argv: list[str]) -> None:
    from congso.kernel.search.backends.tantivy_backend import worker_main

    receive = Connection(int(argv[1]), writable=False)
    send = Connection(int(argv[2]), readable=False)
    worker_main(receive, send)


if __name__ == "__main__":
    main(sys.argv)
