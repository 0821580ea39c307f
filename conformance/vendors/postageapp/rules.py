"""PostageApp's rule ids (CONTRACTS.md 4.12, in table order) and the registry their checks join."""

from __future__ import annotations

from conformance.registry import Registry

RULES = (
    "PA-AUTH-KEY",
    "PA-JSON",
    "PA-BODY-OBJECT",
    "PA-METHOD-KNOWN",
    "PA-POST-ONLY",
    "PA-ARGUMENTS",
    "PA-PROJECT-SCOPE",
    "PA-UID-UNIQUE",
    "PA-UID-DEFAULT",
    "PA-UID-FORMAT",
    "PA-SCHEDULE-REQUIRED",
    "PA-SCHEDULE-FORMAT",
    "PA-SCHEDULE-UTC",
    "PA-SCHEDULE-FUTURE",
    "PA-EVERY-ALIGNED",
    "PA-METADATA-OBJECT",
    "PA-KEY-MERGE",
    "PA-CREATE-RESPONSE",
    "PA-EVENT-NOT-FOUND",
    "PA-UPDATE-STATUS",
    "PA-SUSPEND-NULL",
    "PA-ONE-OFF-COMPLETE",
    "PA-LIST-PAGING",
    "PA-BATCH-ATOMIC",
    "PA-MSG-UID-UNIQUE",
    "PA-MSG-RECIPIENTS",
    "PA-MSG-CONTENT",
)

CHECKS = Registry("postageapp", RULES)
