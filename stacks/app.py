"""Compose a scenario into a cdktf app: the provider stack, then one stack per consumer."""

from __future__ import annotations

from alicloud_privatelink._runtime import App

from .consumer_stack import ConsumerStack
from .provider_stack import ProviderStack
from .scenario import Scenario

PROVIDER_STACK_NAME = "privatelink-provider"
CONSUMER_STACK_PREFIX = "privatelink-consumer-"


def consumer_stack_name(consumer_name: str) -> str:
    return f"{CONSUMER_STACK_PREFIX}{consumer_name}"


def build_app(scenario: Scenario, outdir: str) -> App:
    """All stacks of ``scenario``, ready for ``app.synth()`` into ``outdir``; no provider stack when the
    service is published elsewhere (``service.service_id`` or ``service_name``)."""
    app = App(outdir=outdir, stack_traces=False)
    provider = None if scenario.service.mode == "consume" else ProviderStack(app, PROVIDER_STACK_NAME, scenario)
    for consumer in scenario.consumers:
        ConsumerStack(app, consumer_stack_name(consumer.name), scenario, consumer, provider)
    return app
