"""A reviewed snapshot of every stack of the default scenario and of every example.

Update after an intended change with ``.venv/bin/pytest --snapshot-update`` and
review the diff of ``tests/__snapshots__/`` like any other code.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, synth_stacks
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

SCENARIOS: dict[str, str | None] = {"default": None} | {
    path.stem: str(path) for path in EXAMPLES if path.stem != "default"
}
CASES = [(scenario, stack) for scenario, config in SCENARIOS.items() for stack in sorted(synth_stacks(config))]


@pytest.fixture
def json_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize(("scenario", "stack"), CASES, ids=[f"{scenario}__{stack}" for scenario, stack in CASES])
def test_stack_matches_snapshot(scenario: str, stack: str, json_snapshot: SnapshotAssertion) -> None:
    assert synth_stacks(SCENARIOS[scenario])[stack] == json_snapshot
