"""The program's own source, offered to every user as AGPL-3.0 §13 asks ("Mã nguồn" link).

Deployments are often offline intranets, so a link to a public repository is not enough: the
running installation serves an archive of the files it runs from. The archive is built once per
content signature and cached under ``var/``.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

from django.conf import settings

INCLUDE = [
    "src",
    "scripts",
    "docs",
    "bench",
    "tests",
    ".ci",
    "pyproject.toml",
    "uv.lock",
    "LICENSE",
    "README.md",
    "CONTRIBUTING.md",
    "Makefile",
    "manage.py",
    "conftest.py",
]
SKIP_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for name in INCLUDE:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and not SKIP_PARTS.intersection(p.parts) and p.suffix != ".pyc"
            )
    return sorted(found)


def source_archive() -> Path:
    """Path of a .tar.gz of the running source, rebuilt when any file changed."""
    root = Path(settings.PROJECT_DIR)
    files = _files(root)
    signature = hashlib.sha256()
    for path in files:
        stat = path.stat()
        signature.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = Path(settings.VAR_DIR) / f"congso-source-{signature.hexdigest()[:16]}.tar.gz"
    if target.exists():
        return target
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in files:
            tar.add(path, arcname=f"congso/{path.relative_to(root)}", recursive=False)
    partial = target.with_suffix(".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(target)  # atomic: concurrent requests never see half an archive
    for old in Path(settings.VAR_DIR).glob("congso-source-*.tar.gz"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
