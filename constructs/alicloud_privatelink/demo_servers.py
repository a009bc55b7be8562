"""Demo ECS servers: the backends that answer with their name, and the client that calls them.

They make Step 6 of the console procedure work straight after deploy: a
backend's user data starts a tiny HTTP server on the backend port, so
``curl http://<endpoint domain>/`` from the client prints which backend
answered. No password is ever set; log in through Cloud Assistant / Workbench
(or attach a key pair by hand) if you need a shell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs import Construct

from .bindings import DataImages, DataInstanceTypes, Instance
from .checks import Checks

#: Construct ids of the look-ups, which server names must not take.
RESERVED_SERVER_NAMES = ("image", "instance-type")
#: Ubuntu 22.04 ships python3, which serves the demo page.
DEFAULT_IMAGE_NAME_REGEX = "^ubuntu_22_04_x64"


@dataclass(frozen=True, kw_only=True)
class DemoServer:
    """One server of :class:`DemoServers`."""

    #: Instance and host name; also the construct id and what the demo page says.
    name: str
    #: Fixed private address inside the vSwitch.
    private_ip: str


@dataclass(frozen=True, kw_only=True)
class DemoServersProps:
    """Props of :class:`DemoServers`."""

    #: The servers to create.
    servers: Sequence[DemoServer]
    #: vSwitch the servers are placed in.
    vswitch_id: str
    #: The vSwitch's zone, where the instance type is looked up.
    zone: str
    #: Security group of the servers.
    security_group_id: str
    #: The vSwitch's CIDR block, to check each ``private_ip`` against. Default: None, not checked.
    vswitch_cidr: str | None = None
    #: Port on which each server answers with its name. Default: None, no HTTP server (a client).
    http_port: int | None = None
    #: Image name pattern among Alibaba Cloud's system images. Default: Ubuntu 22.04 x64.
    image_name_regex: str = DEFAULT_IMAGE_NAME_REGEX
    #: vCPUs of the instance type looked up. Default: 2.
    cpu_core_count: int = 2
    #: Memory (GiB) of the instance type looked up. Default: 4.
    memory_size: int = 4
    #: Tags for the servers. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def check_server_name(checks: Checks, path: str, name: object) -> None:
    """A server name is an instance and host name, and a construct id beside the look-ups."""
    checks.simple_name(path, name)
    if name in RESERVED_SERVER_NAMES:
        checks.fail(path, f"{name!r} is reserved for the {name} look-up; choose another server name")


def demo_page_user_data(name: str, port: int) -> str:
    """A cloud-init script that serves ``<name>`` on ``port`` as a systemd service."""
    return f"""#!/bin/bash
# PrivateLink demo backend: answers every HTTP request with this server's name.
set -euo pipefail
mkdir -p /srv/privatelink-demo
echo "Hello from {name}" > /srv/privatelink-demo/index.html
cat > /etc/systemd/system/privatelink-demo.service <<'UNIT'
[Unit]
Description=PrivateLink demo page
After=network-online.target

[Service]
ExecStart=/usr/bin/python3 -m http.server {port} --directory /srv/privatelink-demo
Restart=always
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now privatelink-demo.service
"""


class DemoServers(Construct):
    """Look-ups ``image`` and ``instance-type``, then one instance per server, with the server's name as id."""

    def __init__(self, scope: Construct, id: str, props: DemoServersProps) -> None:
        checks = Checks()
        if props.http_port is not None:
            checks.port("http_port", props.http_port)
        for index, server in enumerate(props.servers):
            check_server_name(checks, f"servers[{index}].name", server.name)
        checks.unique([(f"servers[{i}].name", s.name) for i, s in enumerate(props.servers)], "name")
        checks.unique([(f"servers[{i}].private_ip", s.private_ip) for i, s in enumerate(props.servers)], "address")
        vswitch = checks.cidr("vswitch_cidr", props.vswitch_cidr) if props.vswitch_cidr else None
        for index, server in enumerate(props.servers):
            checks.host_address(f"servers[{index}].private_ip", server.private_ip, vswitch, "vswitch_cidr")
        checks.raise_if_any()
        super().__init__(scope, id)
        image = DataImages(self, "image", name_regex=props.image_name_regex, owners="system", most_recent=True)
        instance_type = DataInstanceTypes(
            self,
            "instance-type",
            availability_zone=props.zone,
            cpu_core_count=props.cpu_core_count,
            memory_size=props.memory_size,
            instance_charge_type="PostPaid",
            network_type="Vpc",
            system_disk_category="cloud_essd",
        )
        # Fetched once for all servers: each fetch is a round trip to jsii.
        image_id, instance_type_id = image.first_image_id, instance_type.first_instance_type_id
        #: Instance id (token) of each server, by name.
        self.instance_ids: dict[str, str] = {}
        #: The instances, for others to depend on (e.g. to take no address before them).
        self.instances: list[Instance] = []
        for server in props.servers:
            instance = Instance(
                self,
                server.name,
                instance_name=server.name,
                host_name=server.name,
                image_id=image_id,
                instance_type=instance_type_id,
                vswitch_id=props.vswitch_id,
                private_ip=server.private_ip,
                security_groups=[props.security_group_id],
                instance_charge_type="PostPaid",
                internet_max_bandwidth_out=0,
                system_disk_category="cloud_essd",
                system_disk_encrypted=True,
                http_tokens="required",
                user_data=None if props.http_port is None else demo_page_user_data(server.name, props.http_port),
                tags=dict(props.tags) or None,
            )
            self.instance_ids[server.name] = instance.id
            self.instances.append(instance)
