"""The configured search backend (``SEARCH_BACKEND``), one instance per process and index."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from congso.kernel.search.backends.base import SearchUnavailable

BACKENDS = {"tantivy": "congso.kernel.search.backends.tantivy_backend.TantivyBackend"}

_lock = threading.Lock()
_instances: dict[tuple[str, str], Any] = {}


class SearchNotConfigured(SearchUnavailable):
    """``SEARCH_BACKEND`` is empty: search is switched off."""


def backend_name() -> str:
    return str(getattr(settings, "SEARCH_BACKEND", "") or "")


def get_backend() -> Any:
    """The backend named by ``SEARCH_BACKEND`` ("tantivy" or a dotted class path), opened on
    ``SEARCH_INDEX_DIR``."""
    name = backend_name()
    if not name:
        raise SearchNotConfigured("not_configured")
    path = str(settings.SEARCH_INDEX_DIR)
    key = (name, path)
    with _lock:
        backend = _instances.get(key)
        if backend is None:
            options = {
                "shards": int(getattr(settings, "SEARCH_SHARDS", 2)),
                "shard_min_docs": int(getattr(settings, "SEARCH_SHARD_MIN_DOCS", 200_000)),
                "parallel": bool(getattr(settings, "SEARCH_PARALLEL", True)),
            }
            backend = import_string(BACKENDS.get(name, name))(path, **options)
            _instances[key] = backend
        return backend


def reset_backends() -> None:
    """Forget the open backends (tests switch ``SEARCH_INDEX_DIR``)."""
    with _lock:
        backends = list(_instances.values())
        _instances.clear()
    for backend in backends:  # end their helper processes
        close = getattr(backend, "close_workers", None)
        if close is not None:
            close()
