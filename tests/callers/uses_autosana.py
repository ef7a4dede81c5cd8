"""Autosana: trigger flows, read the batch's status and a run's result."""

from __future__ import annotations

from uuid import UUID

from generated.autosana import AsyncAutosanaClient, AutosanaClient
from generated.autosana.models import RunFlowsRequestWebBrowser


def calls(client: AutosanaClient) -> list[object]:
    """Every operation, sync, as the README and Autosana's docs call them."""
    batch = client.flows.run(
        bundle_id="com.company.app",
        platform="android",
        suite_ids=["550e8400-e29b-41d4-a716-446655440000"],
        variables="PR_NUMBER=42,BRANCH=feature/login",
    )
    by_app = client.flows.run(
        app_id="your-app-id",
        flow_ids=(UUID("660e8400-e29b-41d4-a716-446655440001"),),
        suite_overrides={
            "550e8400-e29b-41d4-a716-446655440000": "770e8400-e29b-41d4-a716-446655440002"
        },
        labels=("nightly",),
        variables={"PR_NUMBER": "42"},
        web_browser=RunFlowsRequestWebBrowser.CHROME,
    )
    status = client.runs.status(batch_id=batch.batch_id)
    results: list[object] = [batch, by_app, status]
    for group in status.run_groups:
        for run in group.runs:
            results.append(client.runs.get(run.id).summary)
    return results


async def async_calls(client: AsyncAutosanaClient) -> list[object]:
    """The README's flow on the async client, a browser given as text."""
    batch = await client.flows.run(
        app_id="your-app-id",
        flow_ids=["660e8400-e29b-41d4-a716-446655440001"],
        web_browser="Chrome",
    )
    status = await client.runs.status(batch_id=batch.batch_id)
    return [batch, status, await client.runs.get("run-uuid-1")]
