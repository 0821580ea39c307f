"""What a done job's file holds: seeded rows covering exactly its timespan (CONTRACTS.md 2.7).

One row per `interval` seconds from `from` (inclusive) while before `to` (exclusive). Each
row's values come from `H(["talkdesk", type, row start as UTC ISO Z])`, never from the order
of requests, so the same seed and the same request give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.ids import ContentDigest
from mockserver.core.timefmt import iso_z
from mockserver.vendors.talkdesk.timespan import Span, zone

Digest = Callable[..., ContentDigest]
Row = dict[str, Any]

USERS = (("user-1", "Alice Eve"), ("user-2", "Mark Jones"), ("user-3", "Rita Lopes"), ("user-4", "Tom Berg"))
CALL_TYPES = ("inbound", "outbound", "missed")
DIRECTIONS = ("IN", "OUT")
STATUS_LABELS = ("Available", "Away", "Busy")
FLOW_END = "studio_flow_executions_aggregated.flow_execution_finished_time"

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "json_bulk": "application/x-ndjson"}
EXTENSIONS = {"csv": "csv", "json": "json", "json_bulk": "jsonl"}


def row_count(span: Span, interval: int) -> int:
    """How many row starts r = from + k·interval fall before `to`."""
    width = (span.end - span.start) // timedelta(microseconds=1)
    step = interval * 1_000_000
    return max(0, -(-width // step))


def row_starts(span: Span, interval: int) -> Iterator[datetime]:
    step = timedelta(seconds=interval)
    for k in range(row_count(span, interval)):
        yield span.start + k * step


class RowValues:
    """The seeded values one row draws on: the digest, its hex, the duration and the user."""

    def __init__(self, digest: ContentDigest, start: datetime, zone_name: str) -> None:
        self.u = digest.u
        self.hex = digest.hex
        self.dur = 1 + digest.u(0) % 600
        self.user_id, self.user_name = USERS[digest.u(1) % len(USERS)]
        local = zone(zone_name)
        self.start = _wall(start, local)
        self.end = _wall(start + timedelta(seconds=self.dur), local)


def _wall(instant: datetime, local: Any) -> str:
    """`YYYY-MM-DD HH:MM:SS` in the job's zone."""
    return instant.astimezone(local).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


def _calls(v: RowValues) -> Row:
    return {
        "call_id": v.hex[0:32],
        "type": CALL_TYPES[v.u(2) % 3],
        "start_at": v.start,
        "end_at": v.end,
        "total_time": v.dur,
        "user_id": v.user_id,
        "user_name": v.user_name,
    }


def _contacts(v: RowValues) -> Row:
    return {
        "contact_id": v.hex[0:32],
        "interaction_id": v.hex[32:64],
        "direction": DIRECTIONS[v.u(2) % 2],
        "started_at": v.start,
        "finished_at": v.end,
        "duration": v.dur,
    }


def _user_status(v: RowValues) -> Row:
    return {
        "user_id": v.user_id,
        "user_name": v.user_name,
        "status_label": STATUS_LABELS[v.u(2) % 3],
        "status_start_at": v.start,
        "status_end_at": v.end,
        "status_time": v.dur,
    }


def _studio_flow_execution(v: RowValues) -> Row:
    return {
        "flow_id": v.hex[0:32],
        "interaction_id": v.hex[32:64],
        "flow_name": "Main flow",
        "step_name": "Talkdesk step",
        "timestamp": v.start,
        FLOW_END: v.end,
        "step_execution_order": v.u(3) % 10,
    }


def _ring_attempts(v: RowValues) -> Row:
    return {
        "ring_attempt_id": v.hex[0:40],
        "interaction_id": v.hex[32:64],
        "contact_id": v.hex[0:32],
        "ring_started_at_time": v.start,
        "ring_finished_at_time": v.end,
        "ring_attempt_duration": v.dur,
    }


def _generic(v: RowValues) -> Row:
    return {
        "row_id": v.hex[0:32],
        "interval_start": v.start,
        "interval_end": v.end,
        "count": v.u(3) % 100,
        "duration": v.dur,
    }


ROW_BUILDERS: dict[str, Callable[[RowValues], Row]] = {
    "calls": _calls,
    "explore_calls": _calls,
    "contacts": _contacts,
    "user_status": _user_status,
    "studio_flow_execution": _studio_flow_execution,
    "ring_attempts": _ring_attempts,
}


def columns(report_type: str) -> list[str]:
    """The column names of a report type, in order."""
    probe = RowValues(ContentDigest(0, []), datetime.fromisoformat("2000-01-01T00:00:00+00:00"), "UTC")
    return list(ROW_BUILDERS.get(report_type, _generic)(probe))


def rows(digest: Digest, report_type: str, span: Span, interval: int) -> list[Row]:
    build = ROW_BUILDERS.get(report_type, _generic)
    return [build(RowValues(digest(report_type, iso_z(r)), r, span.zone)) for r in row_starts(span, interval)]


def render(report_type: str, file_format: str, entries: list[Row]) -> bytes:
    """The file bytes in the job's format: csv, json or json_bulk."""
    if file_format == "csv":
        return _csv(columns(report_type), entries)
    if file_format == "json":
        document = {"type": report_type, "version": "v1", "entries": entries, "total": len(entries)}
        return _compact(document).encode("utf-8")
    return "".join(_compact(entry) + "\n" for entry in entries).encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _csv(header: list[str], entries: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([list(entry.values()) for entry in entries])
    return out.getvalue().encode("utf-8")
