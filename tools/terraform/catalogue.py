"""The load balancers that already exist in the stand-in's offline cloud.

``alicloud_slb_load_balancers``, ``alicloud_nlb_load_balancers`` and
``alicloud_alb_load_balancers`` answer from this seeded catalogue: a look-up
by ``ids`` finds exactly the listed load balancers with those ids (none for
an unknown id), as the real data sources do, so a scenario that publishes an
existing load balancer plans against what it would find. The catalogue holds:

* ``nlb-83ckzc8d4xlp8o0001``: an intranet NLB in eu-central-1a and
  eu-central-1b, the zones of examples/nlb-multi-zone.toml (used by
  examples/existing-nlb.toml);
* ``nlb-internet0facing0001``: the same, but internet-facing;
* ``nlb-onezone0intranet01``: intranet, in eu-central-1a only;
* ``lb-gw8intranet0clb00001`` / ``lb-gw8internet0clb0001``: an intranet and an
  internet-facing CLB with primary zone eu-central-1b;
* ``alb-o9ulmq5hgn68jk0001``: an intranet ALB with fixed addresses in
  eu-central-1a and eu-central-1b;
* ``alb-dynamic0address01``: the same, but with dynamic addresses.

Only the attributes the app's preconditions read, and a few that identify the
load balancer, are set; the rest are null.
"""

from __future__ import annotations

from typing import Any

VPC = "vpc-gw8catalogue00000001"


def _nlb(id: str, address_type: str, zones: list[str]) -> dict[str, Any]:
    return {
        "id": id,
        "load_balancer_id": id,
        "load_balancer_name": id,
        "address_type": address_type,
        "status": "Active",
        "vpc_id": VPC,
        "zone_mappings": [{"zone_id": zone, "vswitch_id": f"vsw-catalogue{zone[-1]}"} for zone in zones],
    }


def _alb(id: str, address_allocated_mode: str) -> dict[str, Any]:
    return {**_nlb(id, "Intranet", BOTH), "address_allocated_mode": address_allocated_mode}


def _clb(id: str, address_type: str, zone: str) -> dict[str, Any]:
    return {
        "id": id,
        "load_balancer_id": id,
        "load_balancer_name": id,
        "address_type": address_type,
        "status": "active",
        "vpc_id": VPC,
        "master_zone_id": zone,
        "slave_zone_id": "eu-central-1a",
    }


BOTH = ["eu-central-1a", "eu-central-1b"]
#: Data source type -> the load balancers it can find.
CATALOGUE: dict[str, list[dict[str, Any]]] = {
    "alicloud_nlb_load_balancers": [
        _nlb("nlb-83ckzc8d4xlp8o0001", "Intranet", BOTH),
        _nlb("nlb-internet0facing0001", "Internet", BOTH),
        _nlb("nlb-onezone0intranet01", "Intranet", ["eu-central-1a"]),
    ],
    "alicloud_slb_load_balancers": [
        _clb("lb-gw8intranet0clb00001", "intranet", "eu-central-1b"),
        _clb("lb-gw8internet0clb0001", "internet", "eu-central-1b"),
    ],
    "alicloud_alb_load_balancers": [_alb("alb-o9ulmq5hgn68jk0001", "Fixed"), _alb("alb-dynamic0address01", "Dynamic")],
}


def look_up(type_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """The computed values of a load-balancer look-up (``balancers``, ``ids``, ``names``); empty for other types.

    The caller shapes them to the data source's type (attributes not set here are null).
    """
    if type_name not in CATALOGUE:
        return {}
    wanted = config.get("ids")
    found = [lb for lb in CATALOGUE[type_name] if wanted is None or lb["id"] in wanted]
    answer: dict[str, Any] = {
        "balancers": found,
        "ids": [lb["id"] for lb in found],
        "names": [lb["load_balancer_name"] for lb in found],
    }
    if type_name == "alicloud_slb_load_balancers":
        answer["total_count"] = len(found)
        answer["slbs"] = []  # the deprecated list; the preconditions read balancers
    return answer
