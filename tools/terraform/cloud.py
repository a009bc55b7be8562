"""A stateful offline Alibaba Cloud: one store per scenario, shared by every stack's Terraform process.

The stand-in provider (provider.py) asks this module before it applies a
change, and records what it applied. The store is one SQLite database
(Python's standard ``sqlite3``) in the folder named by
``ALICLOUD_STANDIN_STATE``; each change runs in one ``BEGIN IMMEDIATE``
transaction, SQLite's own file lock, so the Terraform processes of several
stacks (and the provider's gRPC threads) see one consistent cloud.
:meth:`Cloud.seed` adds objects that exist before the scenario (e.g. a load
balancer the team already runs), so look-ups and references find them.

The cloud answers like Alibaba Cloud where its documents or the provider's
source (aliyun/terraform-provider-alicloud v1.289.0) say what it does; each
rule cites its source. An id the store has never seen (an existing VPC given
by id, or a made-up id in a schema sample) is taken as an object the store
does not model, and rules about it are skipped, never guessed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASE = "cloud.sqlite"
#: How long an NLB configuration call keeps the instance locked (NLB operations are asynchronous jobs).
NLB_JOB_SECONDS = 0.4
#: The account that owns objects created without an assumed role.
OWNER_ACCOUNT = "owner"

#: Zones per region and product (the zone data sources answer from it). PrivateLink: "Regions and zones
#: that support PrivateLink" (alibabacloud.com/help/en/privatelink/product-overview/regions-and-zones),
#: eu-central-1 zones A and B; NLB and ALB: the zones DescribeZones returns there (A, B and C).
ZONES: dict[str, dict[str, tuple[str, ...]]] = {
    "eu-central-1": {
        "privatelink": ("eu-central-1a", "eu-central-1b"),
        "nlb": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
        "alb": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
        "ecs": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
    },
}

#: NLB configuration calls the provider retries on ``Conflict.Lock`` (IsExpectedErrors(err,
#: []string{"Conflict.Lock"}) in Create and Delete of resource_alicloud_nlb_load_balancer_security_group_attachment.go
#: and resource_alicloud_nlb_server_group_server_attachment.go, v1.289.0). resource_alicloud_nlb_listener.go
#: retries CreateListener only on SystemBusy and NeedRetry (throttling, 5xx; errors.go), its update and delete
#: only on NeedRetry, so listener calls fail on a lock.
RETRIED_ON_LOCK = {
    ("alicloud_nlb_load_balancer_security_group_attachment", "create"),
    ("alicloud_nlb_load_balancer_security_group_attachment", "delete"),
    ("alicloud_nlb_server_group_server_attachment", "create"),
    ("alicloud_nlb_server_group_server_attachment", "delete"),
}


def connection_key(service_id: Any, endpoint_id: Any) -> str:
    """Where the store keeps the connection between a service and an endpoint (not a Terraform resource)."""
    return f"connection/{service_id}:{endpoint_id}"


@dataclass
class CloudError(Exception):
    """An API error as Alibaba Cloud returns it: a code, a message and the rule's source."""

    code: str
    message: str
    source: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message} ({self.source})"


def reserved_addresses(cidr: str) -> set[str]:
    """The first and the last three addresses of a vSwitch, which Alibaba Cloud keeps for itself.

    VPC documentation, "Plan networks" / "Create and manage a vSwitch": "the first IP address and the last
    three IP addresses of each vSwitch CIDR block are reserved by the system".
    """
    network = ipaddress.ip_network(cidr, strict=False)
    last = int(network.broadcast_address)
    return {str(network.network_address), *(str(ipaddress.ip_address(last - i)) for i in range(3))}


def _cidr(value: Any) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(str(value), strict=False)
    except ValueError:
        return None


class Cloud:
    """The store and the rules. One instance per provider process; every method opens its own transaction."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / DATABASE
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, type TEXT, account TEXT, body TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, until REAL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60, isolation_level=None)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            yield Store(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # --- objects from outside the scenario -----------------------------------

    def seed(self, type_name: str, object_id: str, body: dict[str, Any], account: str = OWNER_ACCOUNT) -> None:
        """Add an object that exists before the scenario (e.g. an existing load balancer)."""
        with self.transaction() as store:
            store.put(type_name, object_id, {**body, "id": object_id}, account)

    # --- reads ---------------------------------------------------------------

    def read(self, type_name: str, state: dict[str, Any]) -> dict[str, Any] | None:
        """The object as the cloud has it now: None when it is gone; the state itself when never recorded."""
        with self.transaction() as store:
            found = store.get(str(state.get("id")))
            if found is None:
                return None if store.recorded(str(state.get("id"))) else state
            if type_name == "alicloud_privatelink_vpc_endpoint_connection":
                connection = store.get(connection_key(state.get("service_id"), state.get("endpoint_id")))
                # No connection record: a service or endpoint the store does not model (see the module docstring).
                return {**state, "status": connection.get("status")} if connection else state
            if type_name == "alicloud_privatelink_vpc_endpoint":
                connection = store.get(connection_key(state.get("service_id"), state.get("id")))
                return {**state, "connection_status": (connection or {}).get("status", state.get("connection_status"))}
            return state

    def lookup(self, type_name: str, object_id: str) -> dict[str, Any] | None:
        """An object to import: a recorded one of that type, or an endpoint connection by ``<service>:<endpoint>``."""
        with self.transaction() as store:
            if type_name == "alicloud_privatelink_vpc_endpoint_connection":
                found = store.get(connection_key(*object_id.split(":", 1)))
                return {**found, "id": object_id} if found is not None else None
            found = store.get(object_id)
            return found if store.type_of(object_id) == type_name else None

    def zones(self, region: str, product: str) -> tuple[str, ...]:
        return ZONES.get(region, {}).get(product, (f"{region}a", f"{region}b"))

    def endpoint_zones(self, endpoint_id: str) -> list[dict[str, Any]]:
        with self.transaction() as store:
            return sorted(
                (z for z in store.all("alicloud_privatelink_vpc_endpoint_zone") if z.get("endpoint_id") == endpoint_id),
                key=lambda z: str(z.get("zone_id")),
            )

    def connections(self, service_id: str | None, endpoint_id: str | None) -> list[dict[str, Any]]:
        with self.transaction() as store:
            return [
                c
                for c in store.all("connection")
                if (service_id is None or c["service_id"] == service_id)
                and (endpoint_id is None or c["endpoint_id"] == endpoint_id)
            ]

    def set_connection_status(self, service_id: str, endpoint_id: str, status: str) -> None:
        """What the service owner does in the console (e.g. disconnect an endpoint)."""
        with self.transaction() as store:
            connection = store.get(connection_key(service_id, endpoint_id))
            if connection is None:
                raise CloudError("EndpointConnectionNotFound", f"{service_id}:{endpoint_id}", "PrivateLink API")
            store.put("connection", connection["id"], {**connection, "status": status}, OWNER_ACCOUNT)

    # --- NLB job locks -------------------------------------------------------

    @contextlib.contextmanager
    def nlb_job(self, type_name: str, action: str, body: dict[str, Any]) -> Iterator[None]:
        """Hold the NLB instance (and server group) locked while a configuration call runs.

        A second configuration call on a locked NLB gets ``Conflict.Lock`` (NLB API error code: "The
        operation failed because the resource is being configured by another request"); the provider
        retries it only where :data:`RETRIED_ON_LOCK` says.
        """
        keys = {str(body[k]) for k in ("load_balancer_id", "server_group_id") if isinstance(body.get(k), str)}
        if type_name == "alicloud_nlb_load_balancer":
            keys.add(str(body.get("id")))
        with self.transaction() as store:
            keys = {key for key in keys if store.recorded(key)}  # an id the store never saw: not modelled
        if not keys:
            yield
            return
        retried = (type_name, action) in RETRIED_ON_LOCK
        deadline = time.monotonic() + 120
        while True:
            with self.transaction() as store:
                now = time.time()
                busy = store.db.execute(
                    f"SELECT key FROM locks WHERE until > ? AND key IN ({','.join('?' * len(keys))})",
                    (now, *sorted(keys)),
                ).fetchall()
                if not busy:
                    for key in keys:
                        store.db.execute("INSERT OR REPLACE INTO locks VALUES (?, ?)", (key, now + 60))
                    break
            if not retried or time.monotonic() > deadline:
                raise CloudError(
                    "Conflict.Lock",
                    f"{busy[0][0]} is being configured by another request ({type_name} {action} is not retried "
                    "by the provider on Conflict.Lock)",
                    "NLB API error codes; retries: resource_alicloud_nlb_*.go, aliyun/terraform-provider-alicloud "
                    "v1.289.0",
                )
            time.sleep(0.1)
        try:
            time.sleep(NLB_JOB_SECONDS)
            yield
        finally:
            with self.transaction() as store:
                store.db.execute(f"DELETE FROM locks WHERE key IN ({','.join('?' * len(keys))})", tuple(sorted(keys)))

    # --- changes -------------------------------------------------------------

    def unique_id(self, candidate: str, fresh: Any) -> str:
        """``candidate``, or a fresh id when the store already holds one by that name (a replacement)."""
        with self.transaction() as store:
            n = 0
            object_id = candidate
            while store.recorded(object_id) and store.get(object_id) is not None:
                n += 1
                object_id = fresh(n)
            return object_id

    def create(self, type_name: str, body: dict[str, Any], account: str) -> dict[str, Any]:
        with self.transaction() as store:
            body = Rules(store, account).create(type_name, body)
            store.put(type_name, str(body["id"]), body, account)
            return body

    def update(self, type_name: str, prior: dict[str, Any], body: dict[str, Any], account: str) -> dict[str, Any]:
        with self.transaction() as store:
            body = Rules(store, account).update(type_name, prior, body)
            store.put(type_name, str(body["id"]), body, account)
            return body

    def delete(self, type_name: str, prior: dict[str, Any], account: str) -> None:
        with self.transaction() as store:
            Rules(store, account).delete(type_name, prior)
            store.remove(str(prior.get("id")))


class Store:
    """Rows of one transaction: objects by id, with their type and owning account."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, object_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT body FROM objects WHERE id = ? AND type != 'deleted'", (object_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def recorded(self, object_id: str) -> bool:
        """Whether the store ever held this id (deleted objects leave a tombstone, so a read finds them gone)."""
        return self.db.execute("SELECT 1 FROM objects WHERE id = ?", (object_id,)).fetchone() is not None

    def type_of(self, object_id: str) -> str | None:
        row = self.db.execute("SELECT type FROM objects WHERE id = ? AND type != 'deleted'", (object_id,)).fetchone()
        return str(row[0]) if row else None

    def account_of(self, object_id: str) -> str | None:
        row = self.db.execute("SELECT account FROM objects WHERE id = ?", (object_id,)).fetchone()
        return str(row[0]) if row else None

    def all(self, type_name: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT body FROM objects WHERE type = ? ORDER BY id", (type_name,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def put(self, type_name: str, object_id: str, body: dict[str, Any], account: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)",
            (object_id, type_name, account, json.dumps(body, sort_keys=True, default=str)),
        )

    def remove(self, object_id: str) -> None:
        self.db.execute("UPDATE objects SET type = 'deleted' WHERE id = ?", (object_id,))


VPC_API = "Alibaba Cloud VPC API reference"
PRIVATELINK_API = "Alibaba Cloud PrivateLink API reference"


class Rules:
    """What the cloud refuses, per resource type, inside one transaction."""

    def __init__(self, store: Store, account: str) -> None:
        self.store = store
        self.account = account

    # helpers

    def _known(self, object_id: Any) -> dict[str, Any] | None:
        return self.store.get(object_id) if isinstance(object_id, str) else None

    def _users_of(self, object_id: str) -> list[str]:
        """What still refers to ``object_id``: '<type> <id>' of each holder."""
        holders = []
        rows = self.store.db.execute("SELECT id, type, body FROM objects WHERE type != 'deleted'").fetchall()
        for holder_id, type_name, body in rows:
            if holder_id != object_id and object_id in _references(json.loads(body)):
                holders.append(f"{type_name} {holder_id}")
        return holders

    def _addresses_in(self, vswitch_id: str) -> set[str]:
        used: set[str] = set()
        for type_name, field in (
            ("alicloud_instance", "private_ip"),
            ("alicloud_slb_load_balancer", "address"),
            ("alicloud_privatelink_vpc_endpoint_zone", "eni_ip"),
        ):
            used |= {str(o.get(field)) for o in self.store.all(type_name) if o.get("vswitch_id") == vswitch_id}
        for nlb in self.store.all("alicloud_nlb_load_balancer"):
            for mapping in nlb.get("zone_mappings") or []:
                if mapping.get("vswitch_id") == vswitch_id:
                    used.add(str(mapping.get("private_ipv4_address")))
        return used

    def _address(self, vswitch_id: Any, wanted: Any, fixed: bool, path: str) -> Any:
        """Check a fixed address in its vSwitch, or move a made-up one to a free address there."""
        vswitch = self._known(vswitch_id)
        network = _cidr((vswitch or {}).get("cidr_block"))
        if vswitch is None or network is None or not isinstance(wanted, str) or not wanted:
            return wanted
        used = self._addresses_in(str(vswitch_id))
        reserved = reserved_addresses(str(network))
        if fixed:
            if ipaddress.IPv4Address(wanted) not in network:
                raise CloudError("InvalidPrivateIpAddress.Mismatch", f"{path} {wanted} is not in {network}", VPC_API)
            if wanted in reserved:
                raise CloudError(
                    "InvalidPrivateIpAddress", f"{path} {wanted} is reserved by the vSwitch {network}", VPC_API
                )
            if wanted in used:
                raise CloudError(
                    "InvalidPrivateIpAddress.Duplicated", f"{path} {wanted} is already used in {vswitch_id}", VPC_API
                )
            return wanted
        hosts = [str(h) for h in network.hosts()]
        start = hosts.index(wanted) if wanted in hosts else 0
        for candidate in hosts[start:] + hosts[:start]:
            if candidate not in used and candidate not in reserved:
                return candidate
        raise CloudError("InvalidVSwitchId.IpNotEnough", f"{vswitch_id} has no free address", VPC_API)

    def _service_zones(self, service_id: str) -> set[str] | None:
        resources = [
            r
            for r in self.store.all("alicloud_privatelink_vpc_endpoint_service_resource")
            if r.get("service_id") == service_id
        ]
        zones: set[str] = set()
        for resource in resources:
            if resource.get("zone_id"):
                zones.add(str(resource["zone_id"]))
            lb = self._known(resource.get("resource_id"))
            if lb is not None and lb.get("master_zone_id"):
                zones.add(str(lb["master_zone_id"]))
        return zones if resources else None

    def _connection_id(self, service_id: Any, endpoint_id: Any) -> str:
        return connection_key(service_id, endpoint_id)

    # per type

    def create(self, type_name: str, body: dict[str, Any]) -> dict[str, Any]:
        check = getattr(self, "create_" + type_name.removeprefix("alicloud_"), None)
        return check(body) if check else body

    def update(self, type_name: str, prior: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        check = getattr(self, "update_" + type_name.removeprefix("alicloud_"), None)
        return check(prior, body) if check else body

    def delete(self, type_name: str, prior: dict[str, Any]) -> None:
        object_id = str(prior.get("id"))
        check = getattr(self, "delete_" + type_name.removeprefix("alicloud_"), None)
        if check:
            check(prior)
        holders = [h for h in self._users_of(object_id) if not _released_with(type_name, h)]
        if holders and type_name in DEPENDENCY_VIOLATION:
            code, source = DEPENDENCY_VIOLATION[type_name]
            raise CloudError(code, f"{object_id} is still used by {', '.join(sorted(holders))}", source)

    def create_vswitch(self, body: dict[str, Any]) -> dict[str, Any]:
        vpc = self._known(body.get("vpc_id"))
        network = _cidr(body.get("cidr_block"))
        if vpc is None or network is None:
            return body
        vpc_network = _cidr(vpc.get("cidr_block"))
        if vpc_network is not None and not network.subnet_of(vpc_network):
            raise CloudError(
                "InvalidCidrBlock.Malformed",
                f"the vSwitch CIDR block {network} is not inside its VPC's {vpc_network}",
                "CreateVSwitch, " + VPC_API,
            )
        for other in self.store.all("alicloud_vswitch"):
            theirs = _cidr(other.get("cidr_block"))
            if other.get("vpc_id") == body.get("vpc_id") and theirs is not None and theirs.overlaps(network):
                raise CloudError(
                    "InvalidCidrBlock.Overlapped",
                    f"the vSwitch CIDR block {network} overlaps {other['id']} ({theirs})",
                    "CreateVSwitch, " + VPC_API,
                )
        return body

    def create_instance(self, body: dict[str, Any]) -> dict[str, Any]:
        vswitch = self._known(body.get("vswitch_id"))
        if vswitch is not None:
            body["availability_zone"] = vswitch.get("zone_id")  # RunInstances places it in its vSwitch's zone
        body["private_ip"] = self._address(body.get("vswitch_id"), body.get("private_ip"), True, "private_ip")
        return body

    def create_slb_load_balancer(self, body: dict[str, Any]) -> dict[str, Any]:
        body["address"] = self._address(body.get("vswitch_id"), body.get("address"), False, "address")
        return body

    def create_nlb_load_balancer(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._nlb_zones(body)

    def update_nlb_load_balancer(self, prior: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        return self._nlb_zones(body)

    def _nlb_zones(self, body: dict[str, Any]) -> dict[str, Any]:
        for mapping in body.get("zone_mappings") or []:
            vswitch = self._known(mapping.get("vswitch_id"))
            if vswitch is None:
                continue
            if vswitch.get("zone_id") != mapping.get("zone_id"):
                raise CloudError(
                    "IllegalParam.zoneId",
                    f"{mapping['vswitch_id']} is in {vswitch.get('zone_id')}, not {mapping.get('zone_id')}",
                    "CreateLoadBalancer / UpdateLoadBalancerZones, Alibaba Cloud NLB API reference",
                )
            mapping["private_ipv4_address"] = self._address(
                mapping.get("vswitch_id"), mapping.get("private_ipv4_address"), False, "zone_mappings"
            )
        return body

    def delete_slb_load_balancer(self, prior: dict[str, Any]) -> None:
        if prior.get("delete_protection") == "on":
            raise CloudError(
                "DeleteProtection", f"{prior['id']} has deletion protection on", "DeleteLoadBalancer, CLB API"
            )

    def delete_nlb_load_balancer(self, prior: dict[str, Any]) -> None:
        if prior.get("deletion_protection_enabled"):
            raise CloudError(
                "Forbidden.DeletionProtection",
                f"{prior['id']} has deletion protection on",
                "DeleteLoadBalancer, NLB API",
            )

    def create_privatelink_vpc_endpoint_service_resource(self, body: dict[str, Any]) -> dict[str, Any]:
        lb = self._known(body.get("resource_id"))
        zone = body.get("zone_id")
        if lb is not None and zone and lb.get("zone_mappings") is not None:
            zones = {m.get("zone_id") for m in lb.get("zone_mappings") or []}
            if zone not in zones:
                raise CloudError(
                    "EndpointServiceResourceZoneNotSupport",
                    f"{body['resource_id']} has no zone {zone} (its zones: {', '.join(sorted(map(str, zones)))})",
                    "AttachResourceToVpcEndpointService, " + PRIVATELINK_API,
                )
        return body

    def delete_privatelink_vpc_endpoint_service_resource(self, prior: dict[str, Any]) -> None:
        """A service resource that connected endpoints use cannot be detached (EndpointServiceConnectionDependence)."""
        service_id = prior.get("service_id")
        live = [c for c in self.store.all("connection") if c["service_id"] == service_id and c["status"] == "Connected"]
        # An NLB or ALB is attached per zone (its zone_id is part of the resource id); a CLB serves every
        # endpoint of the service, whatever zone_id the provider reads back for it.
        zone = prior.get("zone_id") if prior.get("resource_type") in ("nlb", "alb") else None
        using = []
        for connection in live:
            zones = {
                z.get("zone_id")
                for z in self.store.all("alicloud_privatelink_vpc_endpoint_zone")
                if z.get("endpoint_id") == connection["endpoint_id"]
            }
            if not zone or zone in zones:
                using.append(connection["endpoint_id"])
        if using:
            raise CloudError(
                "EndpointServiceConnectionDependence",
                f"{prior.get('resource_id')} cannot be detached from {service_id}: connected endpoints use it "
                f"({', '.join(sorted(using))})",
                "DetachResourceFromVpcEndpointService, " + PRIVATELINK_API,
            )

    def delete_privatelink_vpc_endpoint_service(self, prior: dict[str, Any]) -> None:
        live = [c for c in self.store.all("connection") if c["service_id"] == prior.get("id")]
        if any(c["status"] == "Connected" for c in live):
            raise CloudError(
                "EndpointServiceConnectionDependence",
                f"{prior.get('id')} still has connected endpoints",
                "DeleteVpcEndpointService, " + PRIVATELINK_API,
            )

    def create_privatelink_vpc_endpoint(self, body: dict[str, Any]) -> dict[str, Any]:
        service = self._known(body.get("service_id"))
        if service is None:
            return body
        owner = self.store.account_of(str(service["id"]))
        allowed = {owner} | {
            str(u.get("user_id"))
            for u in self.store.all("alicloud_privatelink_vpc_endpoint_service_user")
            if u.get("service_id") == service["id"]
        }
        if self.account not in allowed:
            raise CloudError(
                "EndpointServiceNotFound",
                f"account {self.account} is not on the whitelist of {service['id']}",
                "CreateVpcEndpoint (only accounts on the service's whitelist see it), " + PRIVATELINK_API,
            )
        status = "Connected" if service.get("auto_accept_connection") else "Pending"
        connection_id = self._connection_id(service["id"], body["id"])
        self.store.put(
            "connection",
            connection_id,
            {"id": connection_id, "service_id": service["id"], "endpoint_id": body["id"], "status": status},
            self.account,
        )
        body["connection_status"] = status
        return body

    def delete_privatelink_vpc_endpoint(self, prior: dict[str, Any]) -> None:
        self.store.remove(self._connection_id(prior.get("service_id"), prior.get("id")))

    def create_privatelink_vpc_endpoint_zone(self, body: dict[str, Any]) -> dict[str, Any]:
        endpoint = self._known(body.get("endpoint_id"))
        home = (endpoint or {}).get("service_region_id")
        region = re.sub(r"-?[a-z]$", "", str(body.get("zone_id")))  # a zone: its region's id and a letter
        if endpoint is not None and home and region != home:
            self._cross_region_zone(endpoint, region, str(body.get("zone_id")))
            zones = None
        else:
            zones = self._service_zones(str(endpoint.get("service_id"))) if endpoint else None
        if zones is not None and body.get("zone_id") not in zones:
            raise CloudError(
                "EndpointZoneNotSupported",
                f"zone {body.get('zone_id')} is not one of the service's zones ({', '.join(sorted(zones))})",
                "AddZoneToVpcEndpoint, " + PRIVATELINK_API,
            )
        vswitch = self._known(body.get("vswitch_id"))
        if vswitch is not None and vswitch.get("zone_id") != body.get("zone_id"):
            raise CloudError(
                "InvalidVSwitchId.NotFound",
                f"{body['vswitch_id']} is in {vswitch.get('zone_id')}, not {body.get('zone_id')}",
                "AddZoneToVpcEndpoint, " + PRIVATELINK_API,
            )
        body["eni_ip"] = self._address(body.get("vswitch_id"), body.get("eni_ip"), False, "eni_ip")
        return body

    def _cross_region_zone(self, endpoint: dict[str, Any], region: str, zone: str) -> None:
        """A cross-region endpoint (``service_region_id`` another region) has zones of its own region, which
        the service must list in ``supported_region_list`` ("Cross-region connections": the service provider
        adds the regions that may connect, UpdateVpcEndpointServiceAttribute AddSupportedRegionSet; the
        endpoint's zones are PrivateLink zones of the endpoint's region, CreateVpcEndpoint ServiceRegionId,
        PrivateLink API reference). The error code is the stand-in's name for that refusal."""
        service = self._known(endpoint.get("service_id"))
        if service is None:
            return
        supported = set(service.get("supported_region_list") or ())
        if region not in supported:
            raise CloudError(
                "EndpointServiceRegionNotSupported",
                f"{service['id']} does not support region {region} (its supported_region_list: "
                f"{', '.join(sorted(supported)) or 'none'}); deploy the provider stack first",
                "CreateVpcEndpoint ServiceRegionId / AddZoneToVpcEndpoint, " + PRIVATELINK_API,
            )
        zones = ZONES.get(region, {}).get("privatelink")
        if zones is not None and zone not in zones:
            raise CloudError(
                "EndpointZoneNotSupported",
                f"zone {zone} does not offer PrivateLink (its zones: {', '.join(zones)})",
                "AddZoneToVpcEndpoint, " + PRIVATELINK_API,
            )

    def create_privatelink_vpc_endpoint_connection(self, body: dict[str, Any]) -> dict[str, Any]:
        """EnableVpcEndpointConnection: from Pending or Disconnected to Connected; refused on a Connected one."""
        connection = self._known(self._connection_id(body.get("service_id"), body.get("endpoint_id")))
        if connection is None:
            return body
        if connection["status"] == "Connected":
            raise CloudError(
                "EndpointConnectionOperationDenied",
                f"{connection['id']} is already Connected (the provider retries this error until its 5-minute timeout)",
                "EnableVpcEndpointConnection, "
                + PRIVATELINK_API
                + "; resource_alicloud_privatelink_vpc_endpoint_connection.go v1.289.0",
            )
        self.store.put("connection", connection["id"], {**connection, "status": "Connected"}, self.account)
        body["status"] = "Connected"
        return body

    def delete_privatelink_vpc_endpoint_connection(self, prior: dict[str, Any]) -> None:
        """DisableVpcEndpointConnection: the endpoint is Disconnected (the provider waits for that state)."""
        connection = self._known(self._connection_id(prior.get("service_id"), prior.get("endpoint_id")))
        if connection is not None:
            self.store.put("connection", connection["id"], {**connection, "status": "Disconnected"}, self.account)


#: Deleting one of these while another object still refers to it is refused, with the cloud's code.
DEPENDENCY_VIOLATION = {
    "alicloud_vswitch": ("DependencyViolation", "DeleteVSwitch, " + VPC_API),
    "alicloud_vpc": ("DependencyViolation", "DeleteVpc, " + VPC_API),
    "alicloud_security_group": ("DependencyViolation", "DeleteSecurityGroup, Alibaba Cloud ECS API reference"),
    "alicloud_slb_load_balancer": (
        "DependencyViolation.EndpointService",
        "a load balancer attached to an endpoint service cannot be released: " + PRIVATELINK_API,
    ),
    "alicloud_nlb_load_balancer": (
        "DependencyViolation.EndpointService",
        "a load balancer attached to an endpoint service cannot be released: " + PRIVATELINK_API,
    ),
    "alicloud_alb_load_balancer": (
        "DependencyViolation.EndpointService",
        "a load balancer attached to an endpoint service cannot be released: " + PRIVATELINK_API,
    ),
}

#: Holders that go away with the object (the cloud deletes them itself): a group's own rules, a load
#: balancer's own listeners and backend lists are not what keeps it in use.
_OWN = {
    "alicloud_security_group": ("alicloud_security_group_rule",),
    "alicloud_slb_load_balancer": ("alicloud_slb_listener", "alicloud_slb_backend_server", "alicloud_slb_server_group"),
    "alicloud_nlb_load_balancer": ("alicloud_nlb_listener", "alicloud_nlb_load_balancer_security_group_attachment"),
    "alicloud_alb_load_balancer": ("alicloud_alb_listener",),
}


def _released_with(type_name: str, holder: str) -> bool:
    return holder.split(" ", 1)[0] in _OWN.get(type_name, ()) or holder.startswith("connection ")


def _references(body: Any) -> set[str]:
    """Every id-like string an object refers to (its own id included)."""
    found: set[str] = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("id",):
                continue
            found |= _references(value)
    elif isinstance(body, list):
        for value in body:
            found |= _references(value)
    elif isinstance(body, str):
        found.add(body)
    return found
