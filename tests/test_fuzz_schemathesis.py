"""Schemathesis fuzzes every vendor's served OpenAPI document against the mock itself.

Whatever it sends, valid or not, the mock never answers 5xx, and every answer conforms to our
own document: a documented status, its content type and its body schema. (Schemathesis's
positive-data check is left out: schema-valid bodies can still break a domain rule, such as
an unknown destination, by design.)
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mockserver import create_app
from mockserver.inprocess import client_for

CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance]
CHECKS.append(response_schema_conformance)
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))

APP = create_app()


def talkdesk_token() -> str:
    with client_for(APP) as client:
        form = {"grant_type": "client_credentials"}
        return str(client.post("/oauth/token", data=form, auth=("fuzz", "secret")).json()["access_token"])


HEADERS = {
    "qonversion": {"Authorization": "Bearer sk_fuzz"},
    "talkdesk": {"Authorization": f"Bearer {talkdesk_token()}"},
    "sendkit": {"X-Api-Key": "sk_fuzz"},
    "postageapp": {},
}


def schema_of(vendor: str) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_asgi(f"/_mock/openapi/{vendor}.json", APP)


qonversion = schema_of("qonversion")
talkdesk = schema_of("talkdesk")
sendkit = schema_of("sendkit")
postageapp = schema_of("postageapp")


@qonversion.parametrize()
@FUZZ
def test_qonversion(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS["qonversion"], checks=CHECKS)


@talkdesk.parametrize()
@FUZZ
def test_talkdesk(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS["talkdesk"], checks=CHECKS)


@sendkit.parametrize()
@FUZZ
def test_sendkit(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS["sendkit"], checks=CHECKS)


@postageapp.parametrize()
@FUZZ
def test_postageapp(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS["postageapp"], checks=CHECKS)
