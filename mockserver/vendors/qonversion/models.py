"""The Qonversion backend: scheduled reports per tenant, their timers and deliveries.

Pure Python, no HTTP: it takes validated input, raises core errors, and arms timers on
the shared scheduler (CONTRACTS.md 1.3, 1.5 to 1.7).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from mockserver.core.errors import FieldProblem, NotFound, RateLimited, RelationNotFound
from mockserver.core.paging import window
from mockserver.core.scheduler import CatchUp, Timer
from mockserver.core.tenants import Tenants
from mockserver.core.timefmt import iso_z, whole_seconds
from mockserver.core.vendor import VendorContext
from mockserver.vendors.qonversion.content import delivery_payload
from mockserver.vendors.qonversion.errors import RETRY_AFTER_SECONDS

WRITABLE_FIELDS = ("report_name", "send_at", "included_range_days", "status", "environment", "destinations")
ID_LENGTH = 8
ONE_DAY = timedelta(days=1)


@dataclass
class Report:
    id: str
    report_name: str
    send_at: str
    included_range_days: int
    status: str
    environment: str
    destinations: list[dict[str, str]]
    created_at: datetime
    updated_at: datetime
    runs: int = 0
    timer: Timer | None = field(default=None, repr=False)
    test_timers: list[Timer] = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return f"/v4/scheduled-reports/{self.id}"

    def ref(self) -> dict[str, Any]:
        return {"object": "scheduled_report", "id": self.id, "url": self.url}

    def to_json(self) -> dict[str, Any]:
        return {
            **self.ref(),
            "report_name": self.report_name,
            "send_at": self.send_at,
            "included_range_days": self.included_range_days,
            "status": self.status,
            "environment": self.environment,
            "runs": self.runs,
            "destinations": [dict(destination) for destination in self.destinations],
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.updated_at),
        }

    def snapshot(self) -> dict[str, Any]:
        """The values a delivery reports, frozen at the moment it is made."""
        return {
            "id": self.id,
            "report_name": self.report_name,
            "environment": self.environment,
            "included_range_days": self.included_range_days,
        }


def next_slot(send_at: str, now: datetime) -> datetime:
    """The next occurrence of the `HH:MM` UTC slot strictly after `now`."""
    hours, minutes = map(int, send_at.split(":"))
    candidate = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return candidate if candidate > now else candidate + ONE_DAY


def duplicate_destinations(body: Any) -> list[FieldProblem]:
    """QON-DEST-UNIQUE: no `(type, id)` pair twice; checked on well-shaped items only (parsed
    JSON: objects are dicts, checked as such, faster than as any `Mapping`)."""
    items = body.get("destinations") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    seen: set[tuple[str, str]] = set()
    problems = []
    for index, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("type"), str) and isinstance(item.get("id"), str)):
            continue
        pair = (item["type"], item["id"])
        if pair in seen:
            problems.append(FieldProblem(f"destinations[{index}]", "Duplicate destination", "QON-DEST-UNIQUE"))
        seen.add(pair)
    return problems


def _as_int(value: Any) -> int:
    return int(value)  # JSON Schema counts 1.0 as an integer; store it as 1


class QonversionBackend:
    _known: tuple[object, dict[tuple[str, str], Mapping[str, str]]] = (None, {})  # (catalogue, its index)

    def __init__(self, context: VendorContext) -> None:
        self.context = context
        self.tenants: Tenants[dict[str, Report]] = Tenants(dict)
        self._issued_ids: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        """What a state file keeps: everything but the catalogue's index (rebuilt on first use)."""
        state = dict(self.__dict__)
        state.pop("_known", None)
        return state

    # catalogue

    def catalogue(self) -> list[dict[str, str]]:
        return [dict(item) for item in self.context.knob("destinations")]

    def _known_destinations(self) -> dict[tuple[str, str], Mapping[str, str]]:
        """The catalogue by `(type, id)`, indexed again only when the config gives a new one."""
        catalogue = self.context.knob("destinations")
        indexed_catalogue, known = self._known
        if catalogue is not indexed_catalogue:
            known = {(entry["type"], entry["id"]): entry for entry in catalogue}
            self._known = (catalogue, known)
        return known

    def resolve_destinations(self, items: list[Mapping[str, str]]) -> list[dict[str, str]]:
        """Stored destinations with labels; QON-DEST-KNOWN unless unknown ids are accepted."""
        known = self._known_destinations()
        accept_unknown = bool(self.context.knob("accept_unknown_destinations"))
        stored, problems = [], []
        for index, item in enumerate(items):
            entry = known.get((item["type"], item["id"]))
            if entry is None and not accept_unknown:
                problems.append(FieldProblem(f"destinations[{index}].id", "Unknown destination", "QON-DEST-KNOWN"))
                continue
            fallback = entry["label"] if entry else item["id"]
            stored.append({"type": item["type"], "id": item["id"], "label": item.get("label", fallback)})
        if problems:
            raise RelationNotFound(problems)
        return stored

    # reports

    def list(self, tenant: str, limit: int, offset: int) -> tuple[list[Report], bool]:
        reports = self.tenants[tenant]
        page = window(reports.values(), offset, limit)
        return page, offset + len(page) < len(reports)

    def get(self, tenant: str, report_id: str) -> Report:
        reports = self.tenants.peek(tenant)
        report = reports.get(report_id) if reports else None
        if report is None:
            raise NotFound("Requested resource not found")
        return report

    def create(self, tenant: str, body: Mapping[str, Any], now: datetime) -> Report:
        destinations = self.resolve_destinations(body["destinations"])
        stamp = whole_seconds(now)
        report = Report(
            id=self.context.ids.unique_token(ID_LENGTH, self._issued_ids),
            report_name=body["report_name"],
            send_at=body["send_at"],
            included_range_days=_as_int(body["included_range_days"]),
            status=body["status"],
            environment=body["environment"],
            destinations=destinations,
            created_at=stamp,
            updated_at=stamp,
        )
        self.tenants[tenant][report.id] = report
        if report.status == "active":
            self._arm(tenant, report, now)
        return report

    def update(self, tenant: str, report_id: str, body: Mapping[str, Any], now: datetime) -> Report:
        report = self.get(tenant, report_id)
        changes = {name: body[name] for name in WRITABLE_FIELDS if name in body}
        if "destinations" in changes:
            changes["destinations"] = self.resolve_destinations(changes["destinations"])
        if "included_range_days" in changes:
            changes["included_range_days"] = _as_int(changes["included_range_days"])
        changed = {name for name, value in changes.items() if getattr(report, name) != value}
        for name in changed:
            setattr(report, name, changes[name])
        if changed:
            report.updated_at = whole_seconds(now)
        if changed & {"status", "send_at"}:
            self._rearm(tenant, report, now)
        return report

    def delete(self, tenant: str, report_id: str) -> None:
        report = self.get(tenant, report_id)
        self._disarm(report)
        for timer in report.test_timers:
            timer.cancel()
        self.context.windows.drop(report.id)
        del self.tenants[tenant][report_id]

    def send_test(self, tenant: str, report_id: str, now: datetime) -> Report:
        report = self.get(tenant, report_id)
        window = float(self.context.knob("send_test_window_seconds"))
        if self.context.windows.try_open(report.id, now, window) is not None:
            raise RateLimited("Send-test is limited to one call per minute per report", RETRY_AFTER_SECONDS)
        due = now + timedelta(seconds=float(self.context.knob("test_delivery_delay_seconds")))
        report.test_timers = [timer for timer in report.test_timers if timer.due > now and not timer.cancelled]
        deliver = functools.partial(self._deliver_test, tenant, report, now.date())
        report.test_timers.append(self.context.at(due, deliver))
        return report

    # schedule

    def _rearm(self, tenant: str, report: Report, now: datetime) -> None:
        if report.status == "active":
            self._arm(tenant, report, now)
        else:
            self._disarm(report)

    def _arm(self, tenant: str, report: Report, now: datetime) -> None:
        """A daily timer at the next slot plus the delay; a long clock advance may apply its runs in bulk."""
        self._disarm(report)
        delay = timedelta(seconds=float(self.context.knob("delivery_delay_seconds")))
        self._arm_daily(tenant, report, delay, next_slot(report.send_at, now) + delay)

    def _arm_daily(self, tenant: str, report: Report, delay: timedelta, first_due: datetime) -> None:
        deliver = functools.partial(self._deliver, tenant, report, delay)
        catch_up = CatchUp(functools.partial(_skip_runs, report), functools.partial(_entries_per_run, report))
        report.timer = self.context.scheduler.every(first_due, ONE_DAY, deliver, catch_up)

    @staticmethod
    def _disarm(report: Report) -> None:
        if report.timer is not None:
            report.timer.cancel()
            report.timer = None

    def _deliver(self, tenant: str, report: Report, delay: timedelta, due: datetime) -> None:
        """One daily run; the repeating timer re-arms itself one day later."""
        report.runs += 1
        self._fan_out(tenant, report, "scheduled", (due - delay).date(), due, report.runs)
        if report.timer is not None and report.timer.period is None:
            # a one-shot from a state file saved before daily timers repeated: from now on, one that does
            self._arm_daily(tenant, report, delay, due + ONE_DAY)

    def _deliver_test(self, tenant: str, report: Report, day: date, due: datetime) -> None:
        """A test delivery covers the days before the date of the send-test call (CONTRACTS 1.5)."""
        self._fan_out(tenant, report, "test", day, due, None)

    def _fan_out(self, tenant: str, report: Report, kind: str, day: date, due: datetime, run: int | None) -> None:
        payload = functools.partial(delivery_payload, self.context.digest, report=report.snapshot(), day=day, run=run)
        for destination in report.destinations:
            self.context.outbox.add(
                vendor=self.context.name,
                tenant=tenant,
                kind=kind,
                resource_id=report.id,
                destination=destination["id"],
                at=due,
                payload=payload,
            )


def _skip_runs(report: Report, count: int, last_due: datetime) -> None:
    """`count` daily runs whose deliveries the outbox cap drops: only `runs` remembers them."""
    report.runs += count


def _entries_per_run(report: Report) -> int:
    return len(report.destinations)


def describe(backend: QonversionBackend) -> dict[str, list[dict[str, Any]]]:
    """Reports per tenant, for the dashboard."""
    return {
        tenant: [
            {
                "id": report.id,
                "report_name": report.report_name,
                "status": report.status,
                "send_at": report.send_at,
                "runs": report.runs,
                "next_delivery": iso_z(report.timer.due) if report.timer else None,
            }
            for report in reports.values()
        ]
        for tenant, reports in backend.tenants.items()
    }
