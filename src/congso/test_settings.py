"""Settings for the test suite: the real settings with test-friendly switches."""

import os
import tempfile

os.environ.setdefault("TESTING", "1")
os.environ.setdefault("TASK_BACKEND", "immediate")
os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="congso-test-"))

from congso.settings import *  # noqa: F403
from congso.settings import DATABASES, PASSWORD_HASHERS, STATIC_ROOT, VAR_DIR

# pytest-xdist workers share VAR_DIR (made once by the controller): each gets its own search index
# so that two workers loading the demo do not wait on each other's rebuild lock.
# A process a test starts with its own SEARCH_INDEX_DIR keeps it.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
if not os.environ.get("SEARCH_INDEX_DIR"):
    SEARCH_INDEX_DIR = VAR_DIR / f"index-{_WORKER}"
# ... and its own test CA: a worker loading the demo must not find the CA that another worker's
# demo has just replaced (its credentials no longer chain to it, so the demo re-issued them).
if not os.environ.get("SIGNING_DIR"):
    SIGNING_DIR = VAR_DIR / f"signing-{_WORKER}"

# WhiteNoise warns on every request when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# SQLite tests run on a file, not :memory:, so that a test may start other processes on the same
# test database (the multi-process numbering test); pytest-xdist adds a suffix per worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Argon2 is slow on purpose; tests that check it ask for it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The demo tests load the whole demo several times: a small corpus and few dossiers keep them quick
# (the loaders' logic is the same at any size; the environment still overrides these).
DEMO_DOCUMENTS = 150
DEMO_DOSSIERS_PER_DAY = 0.3
