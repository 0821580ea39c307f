"""The conformance suite: tells whether an implementation of the four report APIs (the mock, a fake
of one's own, or the vendor's live API) behaves as CONTRACTS.md documents, rule id by rule id.

Run it with `python -m conformance run --vendor qonversion --base-url URL`, or from pytest with
`conformance.testing.conformance_tests`. Its parts: `target` (where requests go: budget, retries,
curl), `registry` and `context` (checks as named plug-ins), `properties` (Hypothesis), `runner`,
`report` and `cli`; each vendor's checks live in `conformance/vendors/<name>/`. `examples` replays
the documented example exchanges and `shapes` checks response bodies against the OpenAPI schemas.
"""
