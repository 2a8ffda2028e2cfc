"""Fixtures shared by every test: units, users with roles, and logged-in clients."""
