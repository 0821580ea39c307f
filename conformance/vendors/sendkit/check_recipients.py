"""Recipient bodies: SK-RCPT-REQUIRED, SK-RCPT-EMAIL-UNIQUE and SK-RCPT-TYPE, on create and on PATCH.

Every recipient a check creates is named `conformance-...`, has a `conformance-...@example.com`
address, and is deleted when the check ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.properties import run_property
from conformance.strategies import NOT_A_STRING
from conformance.vendors.sendkit.check_generate import world
from conformance.vendors.sendkit.expect import expect_fields, expect_refused, fetch, session
from conformance.vendors.sendkit.people import (
    BAD_EMAILS,
    BAD_NAMES,
    EMAIL_MISSES,
    NAME_MAX,
    NAME_MISSES,
    RecipientCase,
    base_recipient,
    recipient_bodies,
    stored_recipient,
)
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, data_of, recipient_id_of

Stored = Callable[[CheckContext, RecipientCase, dict[str, Any], dict[str, Any]], None]


def sendable(context: CheckContext, case: RecipientCase) -> Any:
    """The body with a drawn (valid) email made the run's own; a broken email is sent as it is."""
    body = case.body
    if isinstance(body, dict) and case.field != "email" and isinstance(body.get("email"), str):
        return {**body, "email": session(context).unique(body["email"])}
    return body


def try_recipient(context: CheckContext, case: RecipientCase, stored: Stored | None = None) -> None:
    """Create; an accepted recipient is compared with what was sent, then deleted at once."""
    q = session(context)
    body = sendable(context, case)
    response = q.create_recipient(body)
    if not case.accepted:
        expect_refused(context, response, f"create with {case.change}", 400, (str(case.field),))
        return
    context.expect_status(response, 201, f"create with {case.change}")
    data = data_of(response)
    recipient_id = recipient_id_of(response)
    if stored is not None and isinstance(data, dict):
        stored(context, case, body, data)
    if recipient_id is not None:
        q.discard(recipient_id)


def expect_echo(context: CheckContext, case: RecipientCase, body: dict[str, Any], data: dict[str, Any]) -> None:
    """Name and email as sent (the email lower-cased); the other fields and defaults softly."""
    expected = stored_recipient(body)
    what = f"the recipient created with {case.change}"
    expect_fields(context, data, {"name": expected["name"], "email": expected["email"]}, what)
    rest = {name: value for name, value in expected.items() if name not in ("name", "email", "schedule")}
    expect_fields(context, data, {**rest, "totalReportsSent": 0}, what, soft=True)


# ---------------------------------------------------------------- SK-RCPT-REQUIRED


@st.composite
def required_cases(draw: st.DrawFn, campaigns: tuple[str, ...], any_campaign: bool) -> RecipientCase:
    body = draw(recipient_bodies(campaigns, any_campaign))
    kind = draw(st.sampled_from(["missing", "name", "email", "valid"]))
    if kind == "valid":
        return RecipientCase(body, change=f"name {body['name'][:30]!r}")
    if kind == "missing":
        name = draw(st.sampled_from(["name", "email"]))
        return RecipientCase({k: v for k, v in body.items() if k != name}, name, f"{name} removed")
    value = draw(BAD_NAMES if kind == "name" else BAD_EMAILS)
    return RecipientCase({**body, kind: value}, kind, f"{kind}={compact(value)}")


def _required_explicit() -> list[RecipientCase]:
    base = base_recipient()
    cases = [RecipientCase({k: v for k, v in base.items() if k != name}, name, f"{name} removed") for name in base]
    cases += [RecipientCase({**base, "name": value}, "name", f"name={compact(value)}") for value in NAME_MISSES]
    cases += [RecipientCase({**base, "email": value}, "email", f"email={compact(value)}") for value in EMAIL_MISSES]
    longest = PREFIX + "\U0001f600" * (NAME_MAX - len(PREFIX))
    return cases + [RecipientCase({**base, "name": longest}, change="a 200-character name"), RecipientCase(base)]


@CHECKS.check(
    "SK-RCPT-REQUIRED",
    "a recipient needs a name (1 to 200 characters, not only whitespace) and a valid email",
    writes=True,
    plan=(
        "POST /v1/reports/recipients  one body per example (explicit edge values + up to {n})",
        "PATCH /v1/reports/recipients/{id}  invalid and valid names and emails",
        "DELETE /v1/reports/recipients/{id}  each created recipient",
    ),
)
def recipient_required(context: CheckContext) -> None:
    w = world(context)
    strategy = required_cases(w.campaigns, w.any_campaign)
    run_property(
        context, strategy, lambda case: try_recipient(context, case, expect_echo), explicit=_required_explicit()
    )
    q = session(context)
    recipient = q.make_recipient({"name": f"{PREFIX}patched", "email": q.email()})
    recipient_id = str(recipient["_id"])
    for field, value in (("name", ""), ("name", None), ("name", " \t"), ("email", "ana"), ("email", None)):
        response = q.patch_recipient(recipient_id, {field: value})
        expect_refused(context, response, f"PATCH {field}={value!r}", 400, (field,))
    renamed = f"{PREFIX}renamed"
    response = q.patch_recipient(recipient_id, {"name": renamed})
    context.expect_status(response, 200, "PATCH with a valid name")
    after = fetch(context, q.get_recipient(recipient_id), "GET after the PATCHes", soft=True)
    expect_fields(context, after, {"name": renamed, "email": recipient["email"]}, "after the PATCHes", soft=True)


# ---------------------------------------------------------------- SK-RCPT-EMAIL-UNIQUE


def _taken(context: CheckContext, response: httpx.Response, what: str) -> None:
    expect_refused(context, response, what, 409, alternative=400)


@CHECKS.check(
    "SK-RCPT-EMAIL-UNIQUE",
    "one recipient per email per workspace, compared case-insensitively (409); stored lower-cased",
    writes=True,
    plan=(
        "POST /v1/reports/recipients  a recipient, then the same email in other cases (explicit + up to {n})",
        "PATCH /v1/reports/recipients/{id}  another recipient to the taken email; the owner to its own",
        "POST /v1/reports/recipients  the same email in another workspace, and again after a DELETE",
    ),
)
def email_unique(context: CheckContext) -> None:
    q = session(context)
    email = q.email("Mixed.Case").replace("@example.com", "@Example.COM")
    first = q.make_recipient({"name": f"{PREFIX}email-owner", "email": email})
    expect_fields(context, first, {"email": email.lower()}, "the created recipient")
    variants = st.lists(st.booleans(), min_size=len(email), max_size=len(email)).map(
        lambda flips: "".join(char.upper() if flip else char.lower() for char, flip in zip(email, flips, strict=True))
    )
    explicit = [email, email.lower(), email.upper(), email.swapcase()]
    run_property(
        context,
        variants,
        lambda variant: _taken(
            context, q.create_recipient({"name": f"{PREFIX}twin", "email": variant}), f"create with {variant}"
        ),
        explicit=explicit,
    )
    second = q.make_recipient({"name": f"{PREFIX}email-second", "email": q.email()})
    _taken(
        context, q.patch_recipient(str(second["_id"]), {"email": email.upper()}), "PATCH another recipient to the email"
    )
    after = fetch(context, q.get_recipient(str(second["_id"])), "GET after the refused PATCH", soft=True)
    expect_fields(context, after, {"email": second["email"]}, "after the refused PATCH", soft=True)
    own = q.patch_recipient(str(first["_id"]), {"email": email.upper()})
    context.expect_status(own, 200, "PATCH a recipient to its own email in upper case")
    expect_fields(context, data_of(own) or {}, {"email": email.lower()}, "after PATCHing its own email", own, soft=True)
    if q.other is not None:
        elsewhere = q.create_recipient({"name": f"{PREFIX}email-elsewhere", "email": email}, who=q.other)
        context.expect_status(elsewhere, 201, "the same email in another workspace")
    q.discard(str(first["_id"]))
    again = q.create_recipient({"name": f"{PREFIX}email-again", "email": email})
    context.expect_status(again, 201, "the email once its recipient is deleted")


# ---------------------------------------------------------------- SK-RCPT-TYPE

TYPE_MISSES: tuple[Any, ...] = ("organizational", "Workspace", "CAMPAIGN", "", None, 5)
BAD_TYPES = st.one_of(st.sampled_from(TYPE_MISSES), st.text(max_size=12), NOT_A_STRING).filter(
    lambda value: value not in ("campaign", "workspace")
)


def expect_type(context: CheckContext, case: RecipientCase, body: dict[str, Any], data: dict[str, Any]) -> None:
    expected = stored_recipient(body)
    fields = {"reportType": expected["reportType"], "campaignIds": expected["campaignIds"]}
    expect_fields(context, data, fields, f"the recipient created with {case.change}", soft="reportType" not in body)


@st.composite
def type_cases(draw: st.DrawFn, campaigns: tuple[str, ...], any_campaign: bool) -> RecipientCase:
    body = draw(recipient_bodies(campaigns, any_campaign))
    kind = draw(st.sampled_from(["bad", "bad", "no-campaigns", "valid"]))
    if kind == "valid":
        return RecipientCase(body, change=f"reportType={body.get('reportType', '(absent)')}")
    if kind == "no-campaigns":
        rest = {k: v for k, v in body.items() if k != "campaignIds"}
        ids: list[str] | None = draw(st.sampled_from([None, []]))
        broken = {**rest, "reportType": "campaign", **({} if ids is None else {"campaignIds": ids})}
        return RecipientCase(broken, "campaignIds", f"a campaign recipient with campaignIds={ids!r}")
    value = draw(BAD_TYPES)
    return RecipientCase({**body, "reportType": value}, "reportType", f"reportType={compact(value)}")


def _type_explicit(campaigns: tuple[str, ...]) -> list[RecipientCase]:
    base = base_recipient()
    cases = [
        RecipientCase({**base, "reportType": value}, "reportType", f"reportType={value!r}") for value in TYPE_MISSES
    ]
    cases.append(RecipientCase({**base, "reportType": "campaign"}, "campaignIds", "campaign without campaignIds"))
    cases += [RecipientCase(base, change="no reportType"), RecipientCase({**base, "reportType": "workspace"})]
    if campaigns:
        cases.append(
            RecipientCase(
                {**base, "reportType": "campaign", "campaignIds": list(campaigns[:2])}, change="a campaign recipient"
            )
        )
    return cases


@CHECKS.check(
    "SK-RCPT-TYPE",
    "a recipient's reportType is campaign or workspace (default workspace)",
    writes=True,
    plan=(
        "POST /v1/reports/recipients  one body per example (explicit edge values + up to {n})",
        "PATCH /v1/reports/recipients/{id}  to organizational, to campaign without and with ids, back to workspace",
    ),
)
def recipient_type(context: CheckContext) -> None:
    w = world(context)
    strategy = type_cases(w.campaigns, w.any_campaign)
    run_property(
        context, strategy, lambda case: try_recipient(context, case, expect_type), explicit=_type_explicit(w.campaigns)
    )
    q = session(context)
    recipient_id = str(q.make_recipient({"name": f"{PREFIX}type", "email": q.email()})["_id"])
    expect_refused(
        context,
        q.patch_recipient(recipient_id, {"reportType": "organizational"}),
        "PATCH to organizational",
        400,
        ("reportType",),
    )
    expect_refused(
        context,
        q.patch_recipient(recipient_id, {"reportType": "campaign"}),
        "PATCH to campaign, no ids",
        400,
        ("campaignIds",),
    )
    if w.campaigns:
        patch = {"reportType": "campaign", "campaignIds": [w.campaigns[0]]}
        response = q.patch_recipient(recipient_id, patch)
        context.expect_status(response, 200, "PATCH to campaign with ids")
        expect_fields(context, data_of(response) or {}, patch, "after PATCHing to campaign", response, soft=True)
        response = q.patch_recipient(recipient_id, {"reportType": "workspace"})
        context.expect_status(response, 200, "PATCH back to workspace")
        expect_fields(
            context,
            data_of(response) or {},
            {"reportType": "workspace", "campaignIds": []},
            "back to workspace",
            response,
            soft=True,
        )
