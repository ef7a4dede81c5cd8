"""Cross-field rules declared in the specs are enforced before any request, naming the rule.

Autosana ``flows.run``: ``bundle_id`` (with ``platform``) or ``app_id``, and ``suite_ids`` or
``flow_ids``. Panto ``test_flows.trigger``: exactly one tag selector.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic
import pytest

from tests.clients.support import client, result

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
FLOW = "660e8400-e29b-41d4-a716-446655440001"
SUITE = "550e8400-e29b-41d4-a716-446655440000"
RUN_OK = {"status": "success", "batch_id": "b", "flow_group_run_ids": [], "flow_run_count": 1}
TRIGGER_OK = {"message": "Triggered 1 test flow(s) matched.", "test_runs": ["t1"]}


def _recorder(sent: list[httpx.Request], body: dict[str, Any]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=body)

    return handler


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"flow_ids": [FLOW]}, "bundle_id or app_id"),
        ({"bundle_id": "com.x", "suite_ids": [SUITE]}, "platform with bundle_id"),
        ({"app_id": "web"}, "suite_ids or flow_ids"),
    ],
    ids=["no-app", "bundle-without-platform", "no-flows"],
)
async def test_a_broken_flows_run_rule_is_named_and_nothing_is_sent(
    is_async: bool, kwargs: dict[str, Any], rule: str
) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _recorder(sent, RUN_OK), is_async)
    with pytest.raises(pydantic.ValidationError, match=f"rule '{rule}' is not met"):
        await result(api.flows.run(**kwargs))
    assert sent == []


@SYNC_ASYNC
@pytest.mark.parametrize(
    "kwargs",
    [
        {"app_id": "web", "flow_ids": [FLOW]},
        {"bundle_id": "com.x", "platform": "ios", "suite_ids": [SUITE]},
        {"bundle_id": "com.x", "platform": "android", "app_id": "w", "flow_ids": [FLOW]},
    ],
    ids=["web", "mobile", "both"],
)
async def test_a_flows_run_meeting_every_rule_is_sent(
    is_async: bool, kwargs: dict[str, Any]
) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _recorder(sent, RUN_OK), is_async)
    await result(api.flows.run(**kwargs))
    assert len(sent) == 1
    assert set(json.loads(sent[0].content)) == set(kwargs)


@SYNC_ASYNC
@pytest.mark.parametrize(
    "variables", ["PR_NUMBER=42,BRANCH=feature/login", {"PR_NUMBER": "42", "BRANCH": "main"}]
)
async def test_variables_take_a_string_or_a_dict_as_is(is_async: bool, variables: Any) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _recorder(sent, RUN_OK), is_async)
    await result(api.flows.run(app_id="w", flow_ids=[FLOW], variables=variables))
    assert json.loads(sent[0].content)["variables"] == variables


@SYNC_ASYNC
@pytest.mark.parametrize(
    "browser", ["chrome", "Chrome", "Google Chrome", "msedge", "Microsoft Edge"]
)
async def test_web_browser_takes_the_documented_aliases(is_async: bool, browser: str) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _recorder(sent, RUN_OK), is_async)
    await result(api.flows.run(app_id="w", flow_ids=[FLOW], web_browser=browser))
    assert json.loads(sent[0].content)["web_browser"] == browser


TAGS = {"tag_name_1": ["value_1"]}
DEVICES = [{"device_name": "Pixel 6", "platform_version": "14.0"}]


@SYNC_ASYNC
@pytest.mark.parametrize(
    "tags",
    [{}, {"include": TAGS, "exclude": TAGS}, {"include": TAGS, "include_tags": TAGS}],
    ids=["neither", "include-and-exclude", "include-twice"],
)
async def test_a_tag_selector_that_is_not_exactly_one_is_refused(
    is_async: bool, tags: dict[str, Any]
) -> None:
    sent: list[httpx.Request] = []
    api = client("panto", _recorder(sent, TRIGGER_OK), is_async)
    with pytest.raises(pydantic.ValidationError, match="rule 'exactly one tag selector'"):
        await result(api.test_flows.trigger(app_id="a", tags=tags, devices=DEVICES))
    assert sent == []


@SYNC_ASYNC
@pytest.mark.parametrize("selector", ["include", "include_tags", "exclude", "exclude_tags"])
async def test_each_single_tag_selector_is_sent(is_async: bool, selector: str) -> None:
    sent: list[httpx.Request] = []
    api = client("panto", _recorder(sent, TRIGGER_OK), is_async)
    await result(api.test_flows.trigger(app_id="a", tags={selector: TAGS}, devices=DEVICES))
    assert json.loads(sent[0].content)["tags"] == {selector: TAGS}
