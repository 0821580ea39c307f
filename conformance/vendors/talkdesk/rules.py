"""Talkdesk's rule ids (CONTRACTS.md 2.12, in table order) and the registry their checks join."""

from __future__ import annotations

from conformance.registry import Registry

RULES = (
    "TD-OAUTH",
    "TD-AUTH-TOKEN",
    "TD-SCOPE",
    "TD-TENANT",
    "TD-TYPE-KNOWN",
    "TD-BODY-STRUCT",
    "TD-TIMESPAN-REQUIRED",
    "TD-DATETIME-FORMAT",
    "TD-FORMAT-ENUM",
    "TD-NAME-LEN",
    "TD-TZ-IANA",
    "TD-TO-AFTER-FROM",
    "TD-SPAN-31D",
    "TD-TZ-PLACEMENT",
    "TD-TO-FUTURE",
    "TD-TIMESPAN-SEMANTICS",
    "TD-QUOTA-15",
    "TD-STATUS-ENUM",
    "TD-JOB-303",
    "TD-FILE-30D",
    "TD-ROW-LIMIT",
    "TD-CANCEL",
    "TD-FILE-DELETE",
    "TD-SIGNED-URL",
    "TD-LIST-PAGE",
)

CHECKS = Registry("talkdesk", RULES)
