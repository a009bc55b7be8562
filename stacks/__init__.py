"""Stacks: the scenario composed from the construct library, one Terraform root module per stack."""

from .app import CONSUMER_STACK_PREFIX, PROVIDER_STACK_NAME, build_app, consumer_stack_name

__all__ = ["CONSUMER_STACK_PREFIX", "PROVIDER_STACK_NAME", "build_app", "consumer_stack_name"]
