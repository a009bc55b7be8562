"""Demo ECS servers: the backends that answer with their name, and the client that calls them.

They make Step 6 of the console procedure work straight after deploy: a
backend's user data starts a tiny HTTP server on the backend port, so
``curl http://<endpoint domain>/`` from the client prints which backend
answered. No password is ever set; log in through Cloud Assistant / Workbench
(or attach a key pair by hand) if you need a shell.

Day two must not touch running servers by surprise (aliyun/terraform-provider-alicloud
v1.289.0, resource_alicloud_instance.go): neither ``image_id`` nor
``instance_type`` is ForceNew. A changed image stops the instance and calls
``ReplaceSystemDisk`` (wiping it); a changed type stops and resizes it. So:

* A looked-up image or type is chosen once: it is listed in
  ``lifecycle.ignore_changes``, so a newer public image, or a look-up that
  returns its types in another order, never shows up in a plan.
* A literal ``image_id`` or ``instance_type`` is followed: changing it is a
  deliberate roll. The stacks set the provider's
  ``features { ecs_instance { replace_on_image_update = true } }``, so an image
  roll plans as a replacement, not as an in-place disk swap.
* The type look-up is filtered by the image, so the type supports it.
* A boot script runs only on an instance's first boot (cloud-init), but
  ``user_data`` is updatable in place. A changed script (a port, the page)
  therefore replaces the instance: a ``terraform_data`` per server holds the
  script's hash, and the instance is ``replace_triggered_by`` it
  (Terraform >= 1.4). Replacing, rather than a per-boot script, is the one way
  the new script is certain to run: cloud-init may keep serving its cached
  user data on a reboot of the same instance.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs import Construct

from ._runtime import DataResource, ITerraformDependable, TerraformResourceLifecycle
from .addresses import address_below
from .bindings import DataImages, DataInstanceTypes, Instance, ResourceOptions
from .checks import Checks

#: Construct ids of the look-ups and of the boot-script holders, which server names must not take.
RESERVED_SERVER_NAMES = {
    "image": "the image look-up",
    "instance-type": "the instance-type look-up",
    "boot-script": "the servers' boot-script records",
}
#: Ubuntu 22.04 ships python3, which serves the demo page.
DEFAULT_IMAGE_NAME_REGEX = "^ubuntu_22_04_x64"


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
    #: Further ports it answers on, e.g. a service's other backend ports. Default: none.
    more_http_ports: Sequence[int] = ()
    #: Behind an ALB: http listener port -> https listener port, for the listeners that redirect. Default: none.
    redirects: Mapping[int, int] = field(default_factory=dict)
    #: A literal image id, to pin the image or roll it on purpose. Default: None, the newest system image
    #: matching ``image_name_regex`` when a server is created, never changed afterwards.
    image_id: str | None = None
    #: Image name pattern among Alibaba Cloud's system images, when ``image_id`` is not given.
    #: Default: Ubuntu 22.04 x64.
    image_name_regex: str = DEFAULT_IMAGE_NAME_REGEX
    #: A literal instance type, e.g. ``ecs.g7.large``. Default: None, a type with ``cpu_core_count`` vCPUs
    #: and ``memory_size`` GiB that supports the image, looked up when a server is created and kept.
    instance_type: str | None = None
    #: vCPUs of the instance type looked up. Default: 2.
    cpu_core_count: int = 2
    #: Memory (GiB) of the instance type looked up. Default: 4.
    memory_size: int = 4
    #: What each server waits for, e.g. its security group's rules: then a destroy removes the rules only
    #: after the servers, and whatever uses the servers, are gone. Default: nothing.
    depends_on: Sequence[ITerraformDependable] = ()
    #: Tags for the servers. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class DemoServer:
    """One server of :class:`DemoServers`."""

    #: Instance and host name; also the construct id and what the demo page says.
    name: str
    #: Fixed private address inside the vSwitch.
    private_ip: str


def check_server_name(checks: Checks, path: str, name: object) -> None:
    """A server name is an instance and host name, and a construct id beside the look-ups."""
    checks.shape("host_name", path, name)
    if isinstance(name, str) and name in RESERVED_SERVER_NAMES:
        checks.fail(path, f"{name!r} is reserved for {RESERVED_SERVER_NAMES[name]}; choose another server name")


#: The demo server behind an ALB that redirects (see :mod:`.alb_service`): a request the ALB received on an
#: http listener (``X-Forwarded-Proto: http``, ``X-Forwarded-Port``) that redirects gets a 301 to the https
#: listener's port on the same host; every other request, health checks included, gets the page.
_REDIRECTING_SERVER = """import http.server, json, sys
REDIRECTS = json.loads(sys.argv[2])
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        port = REDIRECTS.get(self.headers.get("X-Forwarded-Port", ""))
        if self.headers.get("X-Forwarded-Proto") == "http" and port:
            host = self.headers.get("Host", "").rsplit(":", 1)[0]
            self.send_response(301)
            self.send_header("Location", f"https://{host}:{port}{self.path}")
            self.end_headers()
            return
        super().do_GET()
def handler(*args):
    return Handler(*args, directory="/srv/privatelink-demo")
http.server.ThreadingHTTPServer(("", int(sys.argv[1])), handler).serve_forever()
"""


def demo_page_user_data(
    name: str, port: int, more_ports: Sequence[int] = (), redirects: Mapping[int, int] | None = None
) -> str:
    """A cloud-init script that serves ``<name>`` on ``port`` (and each of ``more_ports``) as systemd services;
    with ``redirects`` (listener port: https port), one that also redirects what an ALB got over http."""
    table = json.dumps({str(k): v for k, v in sorted((redirects or {}).items())}) if redirects else None
    units = "".join(_demo_unit(f"privatelink-demo{suffix}", p, table) for suffix, p in _ports(port, more_ports))
    enable = " ".join(f"privatelink-demo{suffix}.service" for suffix, _ in _ports(port, more_ports))
    server = "" if table is None else f"cat > /srv/privatelink-demo-server.py <<'PY'\n{_REDIRECTING_SERVER}PY\n"
    return f"""#!/bin/bash
# PrivateLink demo backend: answers every HTTP request with this server's name.
set -euo pipefail
mkdir -p /srv/privatelink-demo
echo "Hello from {name}" > /srv/privatelink-demo/index.html
{server}{units}systemctl daemon-reload
systemctl enable --now {enable}
"""


def _ports(port: int, more_ports: Sequence[int]) -> list[tuple[str, int]]:
    """Each port with its unit's suffix: none for the first, ``-<port>`` for the others."""
    return [("", port), *((f"-{p}", p) for p in more_ports)]


def _demo_unit(unit: str, port: int, redirects: str | None) -> str:
    command = (
        f"-m http.server {port} --directory /srv/privatelink-demo"
        if redirects is None
        else f"/srv/privatelink-demo-server.py {port} '{redirects}'"
    )
    return f"""cat > /etc/systemd/system/{unit}.service <<'UNIT'
[Unit]
Description=PrivateLink demo page
After=network-online.target

[Service]
ExecStart=/usr/bin/python3 {command}
Restart=always
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE

[Install]
WantedBy=multi-user.target
UNIT
"""


def check_server_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The image and type rules, for both the construct's props and the scenario file."""
    checks.shape("image_id", f"{prefix}image_id", settings.get("image_id"))
    checks.shape("instance_type", f"{prefix}instance_type", settings.get("instance_type"))


class DemoServers(Construct):
    """Look-ups ``image`` (unless ``image_id`` is given) and ``instance-type`` (unless ``instance_type`` is),
    then one instance per server, with the server's name as id, and for servers with a boot script a
    ``terraform_data`` ``boot-script/<name>`` that replaces the instance when the script changes.
    """

    def __init__(self, scope: Construct, id: str, props: DemoServersProps) -> None:
        checks = Checks()
        if props.http_port is not None:
            checks.port("http_port", props.http_port)
        for index, port in enumerate(props.more_http_ports):
            checks.port(f"more_http_ports[{index}]", port)
        for index, server in enumerate(props.servers):
            check_server_name(checks, f"servers[{index}].name", server.name)
        checks.unique([(f"servers[{i}].name", s.name) for i, s in enumerate(props.servers)], "name")
        checks.tags("tags", props.tags)
        checks.resource_id("security_group_id", props.security_group_id, "security_group")
        checks.resource_id("vswitch_id", props.vswitch_id, "vswitch")
        checks.unique([(f"servers[{i}].private_ip", s.private_ip) for i, s in enumerate(props.servers)], "address")
        vswitch = checks.cidr("vswitch_cidr", props.vswitch_cidr) if props.vswitch_cidr else None
        for index, server in enumerate(props.servers):
            checks.host_address(f"servers[{index}].private_ip", server.private_ip, vswitch, "vswitch_cidr")
        check_server_settings(checks, "", {"image_id": props.image_id, "instance_type": props.instance_type})
        checks.raise_if_any()
        super().__init__(scope, id)
        # Fetched once for all servers: each fetch is a round trip to jsii.
        ignored: list[str] = []
        image_id = props.image_id
        if image_id is None:
            image_id = DataImages(
                self, "image", name_regex=props.image_name_regex, owners="system", most_recent=True
            ).string_at("images[0].id")  # with most_recent, the newest image
            ignored.append("image_id")
        instance_type = props.instance_type
        if instance_type is None:
            instance_type = DataInstanceTypes(
                self,
                "instance-type",
                availability_zone=props.zone,
                image_id=image_id,
                cpu_core_count=props.cpu_core_count,
                memory_size=props.memory_size,
                instance_charge_type="PostPaid",
                network_type="Vpc",
                system_disk_category="cloud_essd",
            ).string_at("instance_types[0].id")
            ignored.append("instance_type")
        boot_scripts = Construct(self, "boot-script") if props.http_port is not None else None
        #: Instance id (token) of each server, by name.
        self.instance_ids: dict[str, str] = {}
        #: The instances, for others to depend on (e.g. to take no address before them).
        self.instances: list[Instance] = []
        for server in props.servers:
            user_data = (
                None
                if props.http_port is None
                else demo_page_user_data(server.name, props.http_port, props.more_http_ports, props.redirects)
            )
            replace_triggered_by: list[str] = []
            if boot_scripts is not None and user_data is not None:
                digest = hashlib.sha256(user_data.encode("utf-8")).hexdigest()
                DataResource(boot_scripts, server.name, input={"user_data_sha256": digest})
                # A bare reference: Terraform refuses a "${...}" template here, which is what cdktf
                # would write for the resource object itself.
                replace_triggered_by.append(address_below(scope, [id, "boot-script", server.name], "terraform_data"))
            options: ResourceOptions = {"depends_on": list(props.depends_on)}
            if ignored or replace_triggered_by:
                options["lifecycle"] = TerraformResourceLifecycle(
                    ignore_changes=ignored or None, replace_triggered_by=replace_triggered_by or None
                )
            instance = Instance(
                self,
                server.name,
                instance_name=server.name,
                host_name=server.name,
                image_id=image_id,
                instance_type=instance_type,
                vswitch_id=props.vswitch_id,
                private_ip=server.private_ip,
                security_groups=[props.security_group_id],
                instance_charge_type="PostPaid",
                internet_max_bandwidth_out=0,
                system_disk_category="cloud_essd",
                system_disk_encrypted=True,
                http_tokens="required",
                user_data=user_data,
                tags=dict(props.tags) or None,
                **options,
            )
            self.instance_ids[server.name] = instance.id
            self.instances.append(instance)
