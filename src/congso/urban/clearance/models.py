"""Data of this area: no workflow here (that is services.py)."""

from __future__ import annotations
