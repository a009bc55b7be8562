"""The settings of a scenario file, as typed models.

Only the shape lives here (names, types, defaults); reading the file and
applying Alibaba Cloud's rules is :mod:`stacks.scenario_rules`'s job.
"""

from __future__ import annotations

import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alicloud_privatelink import ListenerProtocol

#: Tags the stacks set on every resource themselves (``consumer`` only in consumer stacks).
BUILT_IN_TAGS = ("scenario", "consumer")


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Placement(_Settings):
    """Where one side lives: a new VPC and vSwitch from CIDRs, or existing ones by id."""

    vpc_cidr: str | None = None
    vswitch_cidr: str | None = None
    vpc_id: str | None = None
    vswitch_id: str | None = None
    zone: str


class ZonePlacement(_Settings):
    """One zone of a multi-zone side: the zone and its vSwitch, new from a CIDR or existing by id."""

    zone: str
    vswitch_cidr: str | None = None
    vswitch_id: str | None = None


class _Zoned(Placement):
    """A side that lives in one zone (``zone``, ``vswitch_*``) or in several (``zones``)."""

    zone: str | None = None  # type: ignore[assignment]  # required unless `zones` is given (checked in scenario.py)
    zones: list[ZonePlacement] | None = None

    @property
    def placements(self) -> list[ZonePlacement]:
        """Every zone with its vSwitch, the first (primary) one first."""
        if self.zones is not None:
            return list(self.zones)
        assert self.zone is not None  # checked before the model is used
        return [ZonePlacement(zone=self.zone, vswitch_cidr=self.vswitch_cidr, vswitch_id=self.vswitch_id)]


class Backend(_Settings):
    """A server behind the load balancer: a demo server at ``private_ip``, or an existing ``instance_id``."""

    name: str
    private_ip: str | None = None
    instance_id: str | None = None
    weight: int = 100
    #: NLB only: the zone the server lives in. None: the zone whose vSwitch holds ``private_ip``.
    zone: str | None = None


class Service(_Zoned):
    """The provider side (VPC2): network, load balancer (CLB, or NLB across ``zones``), endpoint service."""

    load_balancer: str = "clb"
    nlb_name: str = "nlb-privatelink"
    backup_zone: str | None = None
    clb_name: str = "clb-privatelink"
    listener_protocol: str = "tcp"
    frontend_port: int = 80
    backend_port: int = 80
    auto_accept: bool = False
    zone_affinity: bool = True
    deletion_protection: bool = False
    #: None: the construct's default description.
    description: str | None = None
    role_arn: str | None = None
    allowed_accounts: list[str] = Field(default_factory=list)
    backends: list[Backend] = Field(min_length=1)

    @property
    def protocol(self) -> ListenerProtocol:
        """``listener_protocol`` as the constructs type it; :func:`check_scenario` refuses any other value."""
        return typing.cast(ListenerProtocol, self.listener_protocol)


class Consumer(_Zoned):
    """One consumer VPC (VPC1, ...): network, endpoint, optional demo client and DNS name."""

    name: str
    endpoint_name: str | None = None
    client_ip: str | None = None
    client_name: str = "ecs1"
    client_cidrs: list[str] | None = None
    security_group_id: str | None = None
    account_id: str | None = None
    role_arn: str | None = None
    dns_name: str | None = None

    @property
    def effective_endpoint_name(self) -> str:
        """``endpoint_name``, or ``ep-<name>`` when not given."""
        return self.endpoint_name or f"ep-{self.name}"

    @property
    def effective_account_id(self) -> str | None:
        """``account_id``, or the account of ``role_arn``: the account the endpoint is created in."""
        # role_arn is validated as acs:ram::<account id>:role/<name> before this is used.
        return self.account_id or (self.role_arn.split(":")[3] if self.role_arn else None)

    @property
    def is_cross_account(self) -> bool:
        return self.effective_account_id is not None

    @property
    def effective_client_cidrs(self) -> list[str]:
        """``client_cidrs``, or the vSwitch CIDR when not given."""
        if self.client_cidrs is not None:
            return list(self.client_cidrs)
        return [p.vswitch_cidr for p in self.placements if p.vswitch_cidr]


class Servers(_Settings):
    """The demo servers (backends and clients): a fixed image and type, or ones looked up once."""

    #: None: the newest Ubuntu 22.04 system image when a server is created, then kept.
    image_id: str | None = None
    #: None: a 2 vCPU / 4 GiB type that supports the image, looked up when a server is created, then kept.
    instance_type: str | None = None


class State(_Settings):
    """Where Terraform keeps state: next to the output folder, or in OSS for teams."""

    backend: Literal["local", "oss"] = "local"
    bucket: str | None = None
    prefix: str = "privatelink"
    region: str | None = None
    tablestore_endpoint: str | None = None
    tablestore_table: str | None = None


class Scenario(_Settings):
    """A whole PrivateLink deployment: one service and its consumers."""

    region: str
    name: str = "privatelink-demo"
    tags: dict[str, str] = Field(default_factory=dict)
    service: Service
    consumers: list[Consumer] = Field(min_length=1)
    servers: Servers = Field(default_factory=Servers)
    #: Activate PrivateLink in each account a stack deploys to (every plan calls OpenPrivateLinkService).
    #: False: the accounts already have it, e.g. when plans run with read-only credentials.
    activate_privatelink: bool = True
    state: State = Field(default_factory=State)
    #: Ids of raisable Alibaba Cloud quotas (e.g. ``vpc_quota_instances_num``) already raised for this
    #: scenario, so exceeding their default is not warned about. Default: none.
    accepted_quotas: list[str] = Field(default_factory=list)

    @property
    def whitelisted_accounts(self) -> list[str]:
        """Accounts allowed to connect: ``service.allowed_accounts`` and every cross-account consumer's, once each."""
        accounts = [*self.service.allowed_accounts, *(c.effective_account_id for c in self.consumers)]
        return list(dict.fromkeys(account for account in accounts if account is not None))

    @property
    def common_tags(self) -> dict[str, str]:
        """Tags for every taggable resource: ``scenario = <name>`` plus ``[tags]``."""
        return {"scenario": self.name, **self.tags}
