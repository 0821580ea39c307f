"""Generate-body validation, one check per rule: a valid body with exactly one thing changed must be
a 400 naming that field, and valid variants of the same field must be accepted (and, read back,
stored as CONTRACTS 3.3 normalises them). The documented edge values always run first.

Reports cannot be deleted, so against a non-mock target only the explicit accepted cases are sent,
each generating at most two reports, within the run's report allowance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from conformance.context import CheckContext
from conformance.properties import run_property
from conformance.vendors.sendkit.bodies import Case, World, campaign_body, cases, synthetic_ids
from conformance.vendors.sendkit.expect import expect_fields, expect_refused, fetch, knobs, session
from conformance.vendors.sendkit.oracle import SECTIONS, millis, period_bound
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, generated_ids

Explicit = Callable[[World], list[Case]]
UNKNOWN_CAMPAIGN = "fff0000000000000000000ff"


def world(context: CheckContext, recipients: tuple[str, ...] = (), *, strict: bool | None = None) -> World:
    q = session(context)
    strict = bool(q.knobs.get("strict_campaigns")) if strict is None else strict
    now = context.control.now() if context.control is not None else datetime.now(UTC)
    return World(
        tuple(q.campaigns), context.target.is_mock and not strict, (now - timedelta(days=1)).date(), recipients
    )


def refused(field: str, change: str, body: object, *, soft: bool = False) -> Case:
    return Case(body, field, change, soft=soft, explicit=True)


def accepted(body: object, change: str, *, soft: bool = False) -> Case:
    return Case(body, None, change, soft=soft, explicit=True)


def _first_campaigns(w: World, count: int) -> list[str]:
    return list(w.campaigns[:count]) + (synthetic_ids(count - len(w.campaigns[:count])) if w.any_campaign else [])


def _report_type(w: World) -> list[Case]:
    misses: list[object] = ["Campaign", "org", "", None, 5]
    cases = [refused("reportType", "reportType removed", {"periodEnd": "2026-01-31"})]
    cases += [refused("reportType", f"reportType={value!r}", {"reportType": value}) for value in misses]
    return cases + [accepted({"reportType": "organizational"}, "an organizational report")]


def _campaign_required(w: World) -> list[Case]:
    cases = [
        refused("campaignIds", "campaignIds removed", {"reportType": "campaign"}),
        refused("campaignIds", "campaignIds=[]", {"reportType": "campaign", "campaignIds": []}),
        refused(
            "campaignIds", "campaignIds as a string", {"reportType": "campaign", "campaignIds": synthetic_ids(1)[0]}
        ),
        refused("campaignIds", "campaignIds=null", {"reportType": "campaign", "campaignIds": None}),
        refused("campaignIds", "workspace report, campaignIds={}", {"reportType": "workspace", "campaignIds": {}}),
    ]
    ids = _first_campaigns(w, 1)
    return cases + ([accepted({"reportType": "campaign", "campaignIds": ids}, "one campaign id")] if ids else [])


def _max_10(w: World) -> list[Case]:
    cases = [refused("campaignIds", f"{n} campaign ids", campaign_body(w, n)) for n in (11, 15)]
    ids = _first_campaigns(w, 10)
    return cases + (
        [accepted({"reportType": "campaign", "campaignIds": ids}, "10 campaign ids")] if len(ids) == 10 else []
    )


def _format(w: World) -> list[Case]:
    good = (list(w.campaigns) + synthetic_ids(1))[0]
    return [
        refused("campaignIds[0]", "an upper-case id", {"reportType": "campaign", "campaignIds": [good.upper()]}),
        refused("campaignIds[1]", "a 23-hex id", {"reportType": "campaign", "campaignIds": [good, good[:23]]}),
        refused("campaignIds[0]", "a number", {"reportType": "campaign", "campaignIds": [5]}),
        refused("campaignIds[0]", "a workspace report with a number", {"reportType": "workspace", "campaignIds": [5]}),
        accepted({"reportType": "workspace", "campaignIds": ["not-an-id"]}, "a workspace report, unchecked ids"),
    ]


def _unique(w: World) -> list[Case]:
    a, b = (list(w.campaigns) + synthetic_ids(2))[:2]
    return [
        refused("campaignIds[1]", "an id twice", {"reportType": "campaign", "campaignIds": [a, a]}),
        refused("campaignIds[2]", "an id twice, apart", {"reportType": "campaign", "campaignIds": [a, b, a]}),
        accepted({"reportType": "workspace", "campaignIds": [a, a]}, "a workspace report, repeated ids"),
    ]


def _known(w: World) -> list[Case]:
    cases = [
        refused("campaignIds[0]", "an unknown campaign", {"reportType": "campaign", "campaignIds": [UNKNOWN_CAMPAIGN]})
    ]
    if w.campaigns:
        body = {"reportType": "campaign", "campaignIds": [w.campaigns[0], UNKNOWN_CAMPAIGN]}
        cases += [refused("campaignIds[1]", "a known and an unknown campaign", body)]
        cases += [accepted({"reportType": "campaign", "campaignIds": [w.campaigns[0]]}, "a catalogue campaign")]
    return cases


def _period_format(w: World) -> list[Case]:
    base = {"reportType": "workspace"}
    bad: list[tuple[str, object]] = [
        ("periodStart", "2026-02-30"),
        ("periodEnd", "2026-13-01"),
        ("periodStart", "2025-02-29"),
        ("periodEnd", "2026-01-01T24:00"),
        ("periodStart", "2026-01-01T10:00:00+0200"),
        ("periodStart", 20260101),
        ("periodEnd", None),
    ]
    cases = [refused(name, f"{name}={value!r}", {**base, name: value}) for name, value in bad]
    leap = {"periodStart": "2024-02-29", "periodEnd": "2024-03-01T10:00:00.123456789+05:30"}
    offsets = {"periodStart": "2024-02-29T23:30:00-02:00", "periodEnd": "2024-03-01T10:00"}
    return cases + [
        accepted({**base, **leap}, "a leap day and an offset end"),
        accepted({**base, **offsets}, "an offset start"),
    ]


def _period_order(w: World) -> list[Case]:
    base = {"reportType": "workspace"}
    return [
        refused("periodEnd", "start a day after end", {**base, "periodStart": "2026-03-02", "periodEnd": "2026-03-01"}),
        refused(
            "periodEnd",
            "start a millisecond after end",
            {**base, "periodStart": "2026-03-01T10:00:00.001Z", "periodEnd": "2026-03-01T10:00:00Z"},
        ),
        refused("periodStart", "a lone start after now", {**base, "periodStart": "2999-01-01"}),
        accepted(
            {**base, "periodStart": "2026-03-01T12:00+02:00", "periodEnd": "2026-03-01T10:59Z"}, "an offset start"
        ),
        accepted(
            {**base, "periodStart": "2026-03-01T10:00:00Z", "periodEnd": "2026-03-01T10:00:00.000Z"}, "equal bounds"
        ),
    ]


def _sections(w: World) -> list[Case]:
    base = {"reportType": "workspace"}
    bad: list[tuple[str, object]] = [
        ("sections", []),
        ("sections", "yes"),
        ("sections.mailboxHealth", {"mailboxHealth": "false"}),
        ("sections.executiveSummary", {"executiveSummary": 1}),
        ("sections.campaignPerformance", {"campaignPerformance": None}),
    ]
    cases = [refused(field, f"sections={value!r}", {**base, "sections": value}) for field, value in bad]
    cases += [accepted({**base, "sections": {"mailboxHealth": False}}, "one toggle off")]
    return cases + [accepted({**base, "sections": {"unknownSection": "x"}}, "an unknown section key", soft=True)]


def _recipients(w: World) -> list[Case]:
    base = {"reportType": "workspace"}
    mine = w.recipients[0]
    return [
        refused("recipientIds[0]", "an unknown recipient", {**base, "recipientIds": [UNKNOWN_CAMPAIGN]}),
        refused("recipientIds[1]", "a recipient twice", {**base, "recipientIds": [mine, mine]}),
        refused("recipientIds[1]", "a malformed id", {**base, "recipientIds": [mine, "x"]}),
        refused("recipientIds[0]", "a number", {**base, "recipientIds": [5]}),
        refused("recipientIds", "a string", {**base, "recipientIds": mine}),
        accepted({**base, "recipientIds": [mine]}, "an existing recipient"),
    ]


EXPLICIT: dict[str, Explicit] = {
    "SK-REPORT-TYPE": _report_type,
    "SK-CAMPAIGN-REQUIRED": _campaign_required,
    "SK-CAMPAIGN-MAX-10": _max_10,
    "SK-CAMPAIGN-FORMAT": _format,
    "SK-CAMPAIGN-UNIQUE": _unique,
    "SK-CAMPAIGN-KNOWN": _known,
    "SK-PERIOD-FORMAT": _period_format,
    "SK-PERIOD-ORDER": _period_order,
    "SK-SECTIONS": _sections,
    "SK-RECIPIENTS-KNOWN": _recipients,
}


# ---------------------------------------------------------------- sending a case


def try_case(context: CheckContext, case: Case) -> None:
    """Send one case; accepted bodies are read back where their rule says how they are stored."""
    q = session(context)
    if case.accepted and not _may_send(context, case):
        return
    if not case.accepted and context.rule in q.lenient:
        return  # a real endpoint already accepted such bodies: that is established, and reports cost
    response = q.generate(case.body)
    if case.accepted:
        context.expect(
            response.is_success, f"{case.change} was refused", expected="2xx: queued", response=response, soft=case.soft
        )
        check = STORED.get(context.rule)
        if check is not None and response.is_success:
            for report_id in generated_ids(response):
                check(context, case, report_id)
        return
    if response.is_success and not context.hard:
        q.lenient.add(context.rule)
    expect_refused(context, response, f"generate with {case.change}", 400, (str(case.field),), soft=case.soft)


def _may_send(context: CheckContext, case: Case) -> bool:
    q = session(context)
    if context.target.is_mock:
        return True
    return case.explicit and case.reports <= 2 and q.may_generate(case.reports)


def _stored(context: CheckContext, report_id: str, case: Case) -> dict[str, object]:
    response = session(context).get_report(report_id)
    return fetch(context, response, f"GET of the report generated with {case.change}", soft=True)


def _expect_period(context: CheckContext, case: Case, report_id: str) -> None:
    assert isinstance(case.body, dict)
    expected = {}
    for name in ("periodStart", "periodEnd"):
        if isinstance(case.body.get(name), str):
            bound = period_bound(case.body[name], end=name == "periodEnd")
            expected[name] = None if bound is None else millis(bound)
    if expected:
        expect_fields(context, _stored(context, report_id, case), expected, f"{case.change}, read back", soft=True)


def _expect_sections(context: CheckContext, case: Case, report_id: str) -> None:
    assert isinstance(case.body, dict)
    sent = case.body.get("sections") or {}
    expected = {"sections": {name: sent.get(name, True) for name in SECTIONS}}
    expect_fields(context, _stored(context, report_id, case), expected, f"{case.change}, read back", soft=True)


def _expect_recipients(context: CheckContext, case: Case, report_id: str) -> None:
    assert isinstance(case.body, dict)
    expected = {"recipientIds": list(case.body.get("recipientIds", []))}
    expect_fields(context, _stored(context, report_id, case), expected, f"{case.change}, read back", soft=True)


STORED: dict[str, Callable[[CheckContext, Case, str], None]] = {
    "SK-PERIOD-FORMAT": _expect_period,
    "SK-SECTIONS": _expect_sections,
    "SK-RECIPIENTS-KNOWN": _expect_recipients,
}


# ---------------------------------------------------------------- the checks


def validation_check(context: CheckContext) -> None:
    rule = context.rule
    if rule == "SK-CAMPAIGN-KNOWN":
        _known_check(context)
        return
    recipients: tuple[str, ...] = ()
    if rule == "SK-RECIPIENTS-KNOWN":
        recipients = _recipients_setup(context)
    w = world(context, recipients)
    run_property(context, cases(rule, w), lambda case: try_case(context, case), explicit=EXPLICIT[rule](w))


def _recipients_setup(context: CheckContext) -> tuple[str, ...]:
    """Two recipients of the workspace, and (with a second key) one of another workspace, refused as unknown."""
    q = session(context)
    mine = tuple(str(q.make_recipient({"name": f"{PREFIX}known-{n}", "email": q.email()})["_id"]) for n in range(2))
    if q.other is not None:
        theirs = q.make_recipient({"name": f"{PREFIX}other-workspace", "email": q.email()}, who=q.other)
        body = {"reportType": "workspace", "recipientIds": [theirs["_id"]]}
        try_case(context, refused("recipientIds[0]", "another workspace's recipient", body))
    return mine


def _known_check(context: CheckContext) -> None:
    """With `strict_campaigns` on (mock), unknown ids are refused; elsewhere one unknown id is tried."""
    if context.control is None:
        for case in _known(world(context, strict=True))[:1]:
            try_case(context, case)
        return
    with knobs(context, {"strict_campaigns": True}):
        w = world(context, strict=True)
        if not w.campaigns:
            context.skip("the mock's campaign catalogue is empty")
        run_property(context, cases(context.rule, w), lambda case: try_case(context, case), explicit=_known(w))


TITLES = {
    "SK-REPORT-TYPE": "reportType is required: campaign, workspace or organizational",
    "SK-CAMPAIGN-REQUIRED": "a campaign report needs at least one campaign id",
    "SK-CAMPAIGN-MAX-10": "at most 10 campaign ids",
    "SK-CAMPAIGN-FORMAT": "campaign ids are 24 lowercase hex",
    "SK-CAMPAIGN-UNIQUE": "no campaign id twice",
    "SK-CAMPAIGN-KNOWN": "with strict_campaigns, campaign ids are in the catalogue",
    "SK-PERIOD-FORMAT": "periodStart and periodEnd are YYYY-MM-DD or ISO-8601, stored normalised",
    "SK-PERIOD-ORDER": "periodStart is not after periodEnd (or now)",
    "SK-SECTIONS": "section toggles are booleans and default to true",
    "SK-RECIPIENTS-KNOWN": "recipientIds are existing recipients of the workspace, no duplicates",
}
SOFT = {"SK-CAMPAIGN-FORMAT", "SK-CAMPAIGN-UNIQUE", "SK-CAMPAIGN-KNOWN", "SK-PERIOD-ORDER"}

for _rule, _title in TITLES.items():
    CHECKS.check(
        _rule,
        _title,
        writes=True,
        soft=_rule in SOFT,
        plan=(
            "POST /v1/reports  one body per example: explicit edge values + up to {n} (accepted ones: mock only)",
            "GET /v1/reports/{id}  to read back an accepted body (some rules)",
            *(
                ["POST, DELETE /v1/reports/recipients  the recipients it refers to"]
                if _rule == "SK-RECIPIENTS-KNOWN"
                else []
            ),
            *(
                ["PUT /_mock/config  strict_campaigns on for the check (mock only)"]
                if _rule == "SK-CAMPAIGN-KNOWN"
                else []
            ),
        ),
    )(validation_check)
