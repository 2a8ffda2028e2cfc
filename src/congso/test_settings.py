"""Settings for the test suite: the real settings with test-friendly switches."""

import os
import tempfile

os.environ.setdefault("TESTING", "1")
os.environ.setdefault("TASK_BACKEND", "immediate")
os.environ.setdefault("CONGSO_VAR_DIR", tempfile.mkdtemp(prefix="congso-test-"))

from congso.settings import *  # noqa: F403
from congso.settings import DATABASES, PASSWORD_HASHERS, STATIC_ROOT, VAR_DIR

# WhiteNoise warns on every request when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# SQLite tests run on a file, not :memory:, so that a test may start other processes on the same
# test database (the multi-process numbering test); pytest-xdist adds a suffix per worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Argon2 is slow on purpose; tests that check it ask for it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
