"""REST endpoints of this area (mounted in congso/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router()
