"""Compose a scenario into a cdktf app: the provider stack, then one stack per consumer."""

from __future__ import annotations

from alicloud_privatelink._runtime import App

from .consumer_stack import ConsumerStack
from .names import CONSUMER_STACK_PREFIX, PROVIDER_STACK_NAME, consumer_stack_name
from .provider_stack import ProviderStack
from .scenario import Scenario

__all__ = ["CONSUMER_STACK_PREFIX", "PROVIDER_STACK_NAME", "build_app", "consumer_stack_name"]


def build_app(scenario: Scenario, outdir: str) -> App:
    """All stacks of ``scenario``, ready for ``app.synth()`` into ``outdir``; no provider stack when the
    service is published elsewhere (``service.service_id`` or ``service_name``)."""
    # No cdktf validations: for each `terraform_data` they run `terraform version` (cdktf's
    # ValidateTerraformVersion), so a synth would need Terraform installed and spend ~30 ms a call, and
    # they check the machine that synthesizes, not the one that deploys. The README states Terraform >= 1.4;
    # the output cannot declare it (`required_version`): cdktf 0.21's HCL renderer writes that attribute
    # of the terraform block as `0 = "required_version"`. The app's own checks cover the rest.
    app = App(outdir=outdir, stack_traces=False, skip_validation=True)
    provider = None if scenario.service.mode == "consume" else ProviderStack(app, PROVIDER_STACK_NAME, scenario)
    for consumer in scenario.consumers:
        ConsumerStack(app, consumer_stack_name(consumer.name), scenario, consumer, provider)
    return app
