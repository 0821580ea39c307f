"""Mock servers for report-scheduling APIs, driven by their OpenAPI documents."""

from __future__ import annotations

from mockserver.app import create_app

__all__ = ["create_app"]
