"""send_message bookkeeping: which message uids a project used, recipients, outbox payloads.

A project's used uids are its direct `send_message` uids plus, for event fires, one run per
armed stretch of an event (schedule, first and last fire) rather than one entry per fire,
so a repeating event can fire for years without the memory growing (CONTRACTS.md 4.5, 4.9).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.core.timefmt import iso_z
from mockserver.vendors.postageapp.schedule import Schedule

_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
ONE_SECOND = timedelta(seconds=1)


@dataclass
class Run:
    """Consecutive fires of one event under one schedule, from `first` to `last`."""

    schedule: Schedule
    first: datetime
    last: datetime

    def fired_at(self, instant: datetime) -> bool:
        return self.first <= instant <= self.last and self.schedule.next_after(instant - ONE_SECOND) == instant


@dataclass
class MessageUids:
    """PA-MSG-UID-UNIQUE: the message uids one project has used."""

    direct: set[str] = field(default_factory=set)
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def taken(self, uid: str) -> bool:
        if uid in self.direct:
            return True
        event_uid, _, stamp = uid.rpartition("@")
        runs = self.runs.get(event_uid)
        if not runs or not _STAMP.fullmatch(stamp):
            return False
        try:
            instant = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return False
        return any(run.fired_at(instant) for run in runs)

    def note_fire(self, event_uid: str, run: Run | None, schedule: Schedule, due: datetime) -> Run:
        """Record a fire; returns the run it extends, or a new one when `run` is None."""
        if run is None:
            run = Run(schedule, due, due)
            self.runs.setdefault(event_uid, []).append(run)
        run.last = due
        return run


def fire_uid(event_uid: str, due: datetime) -> str:
    return f"{event_uid}@{iso_z(due)}"


def message_request(api_key: str, message_uid: str, metadata: Mapping[str, Any]) -> dict[str, Any]:
    """PA-KEY-MERGE: a message (an event's metadata, a direct body) with the project's key and its uid."""
    rest = {name: value for name, value in metadata.items() if name not in ("api_key", "uid")}
    return {"api_key": api_key, "uid": message_uid, **rest}


def destination(request: Mapping[str, Any]) -> str | None:
    """The recipients as one comma-joined string (an object's keys in order), or None when unusable."""
    arguments = request.get("arguments")
    recipients = arguments.get("recipients") if isinstance(arguments, dict) else None
    if isinstance(recipients, str):
        addresses = [part.strip() for part in recipients.split(",")]
    elif isinstance(recipients, list | dict):
        addresses = list(recipients)
    else:
        return None
    if not addresses or not all(isinstance(address, str) and address for address in addresses):
        return None
    return ",".join(addresses)


def payload(
    *,
    source: str,
    event_uid: str | None,
    request: dict[str, Any],
    message_id: str | None,
    error: str | None,
) -> dict[str, Any]:
    return {
        "source": source,
        "event_uid": event_uid,
        "message_uid": request["uid"],
        "status": "ok" if error is None else "bad_request",
        "message_id": message_id,
        "error": error,
        "request": request,
    }
