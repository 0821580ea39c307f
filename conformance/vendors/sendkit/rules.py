"""SendKit's rule ids (CONTRACTS.md 3.10, in table order) and the registry their checks join."""

from __future__ import annotations

from conformance.registry import Registry

RULES = (
    "SK-AUTH-KEY",
    "SK-WORKSPACE-HEADER",
    "SK-TENANT",
    "SK-REPORT-TYPE",
    "SK-CAMPAIGN-REQUIRED",
    "SK-CAMPAIGN-MAX-10",
    "SK-CAMPAIGN-FORMAT",
    "SK-CAMPAIGN-UNIQUE",
    "SK-CAMPAIGN-KNOWN",
    "SK-CAMPAIGN-ONE-REPORT",
    "SK-PERIOD-FORMAT",
    "SK-PERIOD-ORDER",
    "SK-SECTIONS",
    "SK-RECIPIENTS-KNOWN",
    "SK-QUEUED",
    "SK-GENERATE-BODY",
    "SK-ERROR-BODY",
    "SK-NOT-FOUND",
    "SK-RCPT-REQUIRED",
    "SK-RCPT-EMAIL-UNIQUE",
    "SK-RCPT-TYPE",
    "SK-RCPT-SCHEDULE",
    "SK-LIST-LIMIT",
    "SK-RATE-LIMIT",
)

CHECKS = Registry("sendkit", RULES)
