"""STORAGE_BACKEND=s3 gives an S3 storage configured from the environment, without any network
call (the settings are read in a fresh process, with sockets forbidden)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC_DIR = Path(__file__).resolve().parents[4]

SCRIPT = r"""
import json, socket

def _no_network(*args, **kwargs):
    raise AssertionError("network call attempted")

socket.socket.connect = _no_network
socket.create_connection = _no_network

import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage

default_storage.exists  # force the lazy object
storage = default_storage._wrapped
url = storage.url("files/2026/05/21/abc.pdf")
print(json.dumps({
    "class": f"{type(storage).__module__}.{type(storage).__name__}",
    "bucket": storage.bucket_name,
    "endpoint": storage.endpoint_url,
    "region": storage.region_name,
    "acl": storage.default_acl,
    "overwrite": storage.file_overwrite,
    "querystring_auth": storage.querystring_auth,
    "url": url,
    "media_url": settings.MEDIA_URL,
}))
"""


def test_s3_backend_is_configured_from_the_environment(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "congso.settings",
        "PYTHONPATH": str(SRC_DIR),
        "CONGSO_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "kiem-thu-s3",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "congso-tayho",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "S3_ACCESS_KEY_ID": "AKIAKIEMTHU",
        "S3_SECRET_ACCESS_KEY": "bi-mat-kiem-thu",
        "S3_REGION": "ap-southeast-1",
    }
    env.pop("DATABASE_URL", None)  # the default SQLite file in tmp_path (never opened here)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["class"] == "storages.backends.s3.S3Storage"
    assert (got["bucket"], got["endpoint"], got["region"]) == (
        "congso-tayho",
        "http://127.0.0.1:9000",
        "ap-southeast-1",
    )
    assert got["acl"] is None and got["overwrite"] is False and got["querystring_auth"] is True
    # Objects are private: any URL the backend makes is signed and short-lived.
    assert got["url"].startswith("http://127.0.0.1:9000/congso-tayho/files/2026/05/21/abc.pdf?")
    assert "Signature=" in got["url"]
    assert not got["media_url"] or got["media_url"] == "/"
