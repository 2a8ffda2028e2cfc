"""Public REST endpoints of the one-stop shop (no login): mounted at /api/v1/public/."""

from __future__ import annotations

from ninja import Router

router = Router(auth=None)
