"""Panto: trigger test flows and suites by tag on devices, read their test runs."""

from __future__ import annotations

from generated.panto import AsyncPantoClient, PantoClient
from generated.panto.models import Device, TagSelector
from generated.panto.params import DeviceParam, TagSelectorParam


def calls(client: PantoClient) -> list[object]:
    """Every operation, sync, as the README and Panto's guide call them."""
    triggered = client.test_flows.trigger(
        app_id="build_file_id",
        tags={"include": {"tag_name_1": ["value_1", "value_2"], "tag_name_2": ["value_3"]}},
        devices=[{"device_name": "Pixel 6", "platform_version": "14.0"}],
        env_name="staging",
        context_name="logged-in-user",
    )
    selector: TagSelectorParam = {"exclude": {"tag_name_1": ("value_1",)}}
    pixel: DeviceParam = {
        "device_name": "Pixel 6",
        "platform_version": "14.0",
        "platform": "android",
    }
    suites = client.test_suites.trigger(
        app_id="build_file_id",
        tags=selector,
        devices=(pixel, Device(device_name="Pixel 7", platform_version="14.0")),
    )
    by_model = client.test_flows.trigger(
        app_id="build_file_id",
        tags=TagSelector.model_validate({"include_tags": {"smoke": ["yes"]}}),
        devices=[pixel],
    )
    run = client.test_runs.get(triggered.test_runs[0]).test_run
    runs = client.test_runs.by_trigger(run.trigger_id or "trigger_01")
    return [
        triggered,
        suites,
        by_model,
        run,
        [(r.test_run_name, r.runner_status) for r in runs.test_runs],
    ]


async def async_calls(client: AsyncPantoClient) -> list[object]:
    """The README's trigger on the async client."""
    triggered = await client.test_flows.trigger(
        app_id="build_file_id",
        tags={"include": {"tag_name_1": ["value_1"]}},
        devices=[{"device_name": "Pixel 6", "platform_version": "14.0"}],
    )
    return [triggered, await client.test_runs.by_trigger("trigger_01")]
