"""Qonversion's rule ids (CONTRACTS.md 1.10, in table order) and the registry their checks join."""

from __future__ import annotations

from conformance.registry import Registry

RULES = (
    "QON-AUTH-BEARER",
    "QON-AUTH-FORBIDDEN",
    "QON-TENANT-KEY",
    "QON-CREATE-REQUIRED",
    "QON-NAME-LEN",
    "QON-SEND-AT-SLOT",
    "QON-RANGE-DAYS",
    "QON-STATUS-ENUM",
    "QON-ENV-ENUM",
    "QON-DEST-MIN-1",
    "QON-DEST-SHAPE",
    "QON-DEST-TYPE",
    "QON-DEST-UNIQUE",
    "QON-DEST-KNOWN",
    "QON-CREATE-201",
    "QON-PUT-PARTIAL",
    "QON-UPDATED-AT",
    "QON-LIST-PAGING",
    "QON-LIST-ORDER",
    "QON-ID-FORMAT",
    "QON-NOT-FOUND",
    "QON-DELETE-204",
    "QON-SEND-TEST-202",
    "QON-SEND-TEST-RATE",
    "QON-DAILY-DELIVERY",
    "QON-RANGE-WINDOW",
    "QON-RUNS-COUNT",
    "QON-BODY-JSON",
    "QON-ROUTE",
)

CHECKS = Registry("qonversion", RULES)
