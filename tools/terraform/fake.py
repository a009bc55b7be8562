"""Deterministic fake values of the right shape for what the cloud would compute.

Every value is derived from a hash of the resource type and its configured
values, so the same configuration always gets the same ids and addresses and
a second plan finds nothing to change. Shapes follow Alibaba Cloud's: ids with
the product's prefix (``vpc-``, ``vsw-``, ``sg-``, ``i-``, ``lb-``, ``ep-``,
``epsrv-``, ``nlb-``), private addresses inside the vSwitch's CIDR block, and
endpoint domains under ``<region>.privatelink.aliyuncs.com``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import Any

from cty import UNKNOWN

#: The id prefix of each resource type whose ids have one.
ID_PREFIX = {
    "alicloud_vpc": "vpc",
    "alicloud_vswitch": "vsw",
    "alicloud_security_group": "sg",
    "alicloud_security_group_rule": "sgr",
    "alicloud_instance": "i",
    "alicloud_slb_load_balancer": "lb",
    "alicloud_slb_server_group": "rsp",
    "alicloud_privatelink_vpc_endpoint": "ep",
    "alicloud_privatelink_vpc_endpoint_service": "epsrv",
    "alicloud_nlb_load_balancer": "nlb",
    "alicloud_nlb_server_group": "sgp",
    "alicloud_nlb_listener": "lsn",
    "alicloud_alb_load_balancer": "alb",
    "alicloud_alb_server_group": "sgp",
    "alicloud_alb_listener": "lsn",
    "alicloud_pvtz_zone": "pvtz",
    "alicloud_pvtz_zone_record": "rr",
}
#: The parts of a link's id, as the provider joins them (resource_alicloud_<type>.go, v1.289.0): one NLB is
#: attached once per zone, and a server is attached once per port.
ID_PARTS = {
    "alicloud_privatelink_vpc_endpoint_service_resource": ("service_id", "resource_id", "zone_id"),
    "alicloud_privatelink_vpc_endpoint_connection": ("service_id", "endpoint_id"),
    "alicloud_privatelink_vpc_endpoint_zone": ("endpoint_id", "zone_id"),
    "alicloud_nlb_server_group_server_attachment": ("server_group_id", "server_id", "server_type", "port"),
    "alicloud_nlb_load_balancer_security_group_attachment": ("load_balancer_id", "security_group_id"),
}
#: The prefix of an ``*_id`` attribute that names another resource.
REFERENCE_PREFIX = {
    "vpc_id": "vpc",
    "vswitch_id": "vsw",
    "security_group_id": "sg",
    "instance_id": "i",
    "load_balancer_id": "lb",
    "service_id": "epsrv",
    "endpoint_id": "ep",
    "server_group_id": "sgp",
    "listener_id": "lsn",
    "resource_group_id": "rg",
    "network_interface_id": "eni",
    "eni_id": "eni",
    "image_id": "m",
    "route_table_id": "vtb",
    "vpc_endpoint_service_id": "epsrv",
}
#: What a data source's list elements are, where the id itself has meaning.
ELEMENT_ID = {
    "alicloud_instance_types": "ecs.g7.large",
    "alicloud_images": "ubuntu_22_04_x64_20G_alibase_20240101.vhd",
}
#: A resource's status right after it is created.
STATUS = {
    "alicloud_instance": "Running",
    "alicloud_privatelink_vpc_endpoint": "Active",
    "alicloud_privatelink_vpc_endpoint_connection": "Connected",
    "alicloud_privatelink_vpc_endpoint_service": "Active",
    "alicloud_privatelink_vpc_endpoint_zone": "Connected",
    "alicloud_privatelink_service": "Opened",
    "alicloud_slb_load_balancer": "active",
    "alicloud_nlb_load_balancer": "Active",
}
FIXED_TIME = "2026-01-01T00:00:00Z"


def digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=lambda v: "<unknown>")
    return hashlib.sha256(text.encode()).hexdigest()


def address_in(cidr: str | None, seed: str) -> str:
    """A host address inside ``cidr`` (not the first few or last), picked by ``seed``."""
    try:
        network = ipaddress.ip_network(cidr or "", strict=False)
    except ValueError:
        network = ipaddress.ip_network("172.16.0.0/24")
    hosts = max(network.num_addresses - 8, 1)
    return str(network.network_address + 4 + int(seed[:8], 16) % hosts)


class Faker:
    """Fills the unknown values of one resource or data source."""

    def __init__(self, type_name: str, values: dict[str, Any], region: str, cidrs: dict[str, str]) -> None:
        self.type_name = type_name
        self.values = values
        self.region = region or "cn-hangzhou"
        self.cidrs = cidrs
        self.seed = digest(type_name, values)

    def short(self, *parts: Any) -> str:
        return digest(self.seed, *parts)[:20]

    def resource_id(self) -> str:
        prefix = ID_PREFIX.get(self.type_name)
        if prefix:
            return f"{prefix}-{self.short('id')}"
        # Attachments and links: the provider's id joins the ids it links (e.g. "<service>:<endpoint>").
        if self.type_name in ID_PARTS and all(self.values.get(k) is not None for k in ID_PARTS[self.type_name][:2]):
            return ":".join(str(self.values[k]) for k in ID_PARTS[self.type_name] if self.values.get(k) is not None)
        links = [v for k, v in sorted(self.values.items()) if k.endswith("_id") and isinstance(v, str) and k != "id"]
        if len(links) >= 2:
            return ":".join(links[:2])
        return self.short("id")

    def cidr(self) -> str | None:
        if isinstance(self.values.get("cidr_block"), str):
            return str(self.values["cidr_block"])
        vswitch = self.values.get("vswitch_id")
        return self.cidrs.get(vswitch) if isinstance(vswitch, str) else None

    def string(self, name: str, path: tuple[Any, ...]) -> str:
        key = (name, *path)
        if name == "id" and not path:
            return self.resource_id()
        if name == "id" and self.type_name in ELEMENT_ID:
            return ELEMENT_ID[self.type_name]
        if name == "id" and self.type_name.endswith("_zones"):
            return f"{self.region}a"
        if name in REFERENCE_PREFIX:
            return f"{REFERENCE_PREFIX[name]}-{self.short(*key)}"
        if name in ("region_id", "service_region_id"):
            return self.region
        if name in ("zone_id", "master_zone_id", "availability_zone") or name.endswith("zone_id"):
            configured = self.values.get("zone_id") or self.values.get("availability_zone")
            return str(configured) if isinstance(configured, str) else f"{self.region}a"
        if "ipv6" in name:
            return ""  # IPv6 is off unless configured, and the API then returns an empty string
        if name == "name":
            # The deprecated ``name`` mirrors the configured ``<thing>_name`` (vpc_name, vswitch_name, ...).
            aliases = [v for k, v in sorted(self.values.items()) if k.endswith("_name") and isinstance(v, str)]
            if len(aliases) == 1:
                return str(aliases[0])
        if name == "status" or name.endswith("_status"):
            return STATUS.get(self.type_name, "Available")
        if name.endswith("_time") or name.endswith("time"):
            return FIXED_TIME
        if name in ("endpoint_domain", "zone_domain"):
            service = self.values.get("service_id") or f"epsrv-{self.short('service')}"
            endpoint = self.values.get("endpoint_id") or self.values.get("id") or self.resource_id()
            zone = f"-{self.values['zone_id']}" if name == "zone_domain" and self.values.get("zone_id") else ""
            # The shape Alibaba Cloud documents: ep-<id>.epsrv-<id>.<region>.privatelink.aliyuncs.com
            return f"{endpoint}{zone}.{service}.{self.region}.privatelink.aliyuncs.com"
        if name == "service_domain":
            return f"{self.values.get('id') or self.resource_id()}.{self.region}.privatelink.aliyuncs.com"
        if name.endswith("domain") or name.endswith("dns_name"):
            return f"{self.short(*key)[:12]}.{self.region}.aliyuncs.com"
        if name in ("address", "eni_ip", "private_ip", "primary_ip_address", "ip_address") or name.endswith("_ip"):
            return address_in(self.cidr(), self.short(*key))
        if name == "cidr_block":
            return "172.16.0.0/12"
        if "ip_version" in name:
            return "ipv4"
        if name.endswith("_type") or name.endswith("_spec"):
            return "Default"
        return f"{name.replace('_', '-')}-{self.short(*key)[:8]}"

    def fill(self, value: Any, ty: Any, name: str, path: tuple[Any, ...], one_element: bool) -> Any:
        """``value`` with every unknown replaced; ``one_element`` fills unknown lists with one element."""
        if value is UNKNOWN:
            value = self.invent(ty, name, path, one_element)
        if value is None or isinstance(ty, str):
            return value
        kind = ty[0]
        if kind in ("list", "set"):
            return [self.fill(v, ty[1], name, (*path, i), one_element) for i, v in enumerate(value)]
        if kind == "map":
            return {k: self.fill(v, ty[1], name, (*path, k), one_element) for k, v in value.items()}
        if kind == "object":
            inner = (*path, name) if name else path
            return {k: self.fill(value.get(k), aty, k, inner, one_element) for k, aty in ty[1].items()}
        return value

    def invent(self, ty: Any, name: str, path: tuple[Any, ...], one_element: bool) -> Any:
        if ty == "string":
            return self.string(name, path)
        if ty == "number":
            return 0
        if ty == "bool":
            return False
        if ty == "dynamic":
            return None
        kind = ty[0]
        if kind in ("list", "set"):
            if not one_element:
                return []
            singular = name[:-1] if name.endswith("s") else name
            if singular in ("id", "name") or name in ("ids", "names"):
                element_name = "id" if name == "ids" else singular
                return [self.invent(ty[1], element_name, (*path, 0), one_element)]
            return [UNKNOWN if not isinstance(ty[1], str) else self.invent(ty[1], singular, (*path, 0), one_element)]
        if kind == "map":
            return {}
        if kind == "object":
            return {k: UNKNOWN for k in ty[1]}
        return None
