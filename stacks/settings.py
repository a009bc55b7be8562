"""The settings of a scenario file, as typed models.

Only the shape lives here (names, types, defaults); reading the file is
:mod:`stacks.scenario_file`'s job, and applying Alibaba Cloud's rules
:mod:`stacks.scenario_rules`'s.
"""

from __future__ import annotations

import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alicloud_privatelink import ListenerProtocol
from alicloud_privatelink.listeners import AnyListenerProtocol, Listener, listeners_of

from .names import DEFAULT_OSS_PREFIX, DEFAULT_SCENARIO_NAME, default_endpoint_name

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


class ConsumerZone(ZonePlacement):
    """One zone of a consumer's endpoint: the zone, its vSwitch, and the endpoint's address there."""

    #: The endpoint's interface address in this zone's vSwitch (``eni_ip``). None: the cloud picks one.
    endpoint_ip: str | None = None


class _Zoned(Placement):
    """A side that lives in one zone (``zone``, ``vswitch_*``) or in several (``zones``)."""

    zone: str | None = None  # type: ignore[assignment]  # required unless `zones` is given (checked in scenario_rules)
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
    #: NLB or ALB only: the zone the server lives in. None: the zone whose vSwitch holds ``private_ip``.
    zone: str | None = None


class ListenerSettings(_Settings):
    """One ``[[service.listeners]]`` entry: a listener of the service."""

    #: ``tcp``, ``udp``, ``http`` or ``https``, as the load balancer type allows (checked in scenario_rules).
    protocol: str
    frontend_port: int
    #: None: the same as ``frontend_port``.
    backend_port: int | None = None
    #: ``https`` only: the certificate the load balancer presents.
    certificate_id: str | None = None
    #: ``http`` on an ALB: redirect to the https listener on this frontend port.
    redirect_to: int | None = None


#: How ``[service]`` is given, chosen by its keys (see :attr:`Service.mode`).
ServiceMode = Literal["build", "existing", "consume"]


class Service(_Zoned):
    """The service, in one of three modes chosen by its keys: built here (network, a CLB, or an NLB or ALB
    across ``zones``, endpoint service), an existing load balancer published here (``load_balancer_id``), or a
    service published elsewhere that the consumers connect to (``service_id`` or ``service_name``)."""

    # The mode (see mode): existing with load_balancer_id, consume with service_id or service_name, else build.
    load_balancer: str = "clb"
    #: Publish this existing load balancer (of type ``load_balancer``) instead of building one.
    load_balancer_id: str | None = None
    #: Connect to this service published elsewhere, by id (``epsrv-...``); nothing is published here.
    service_id: str | None = None
    #: Connect to this service published elsewhere, by name (``com.aliyuncs.privatelink.<region>.epsrv-...``).
    service_name: str | None = None

    # The load balancer the app builds.
    clb_name: str = "clb-privatelink"
    backup_zone: str | None = None
    nlb_name: str = "nlb-privatelink"
    alb_name: str = "alb-privatelink"
    #: ``IPv4`` or ``DualStack`` (an NLB the app builds; checked in scenario_rules).
    ip_version: str = "IPv4"
    deletion_protection: bool = False
    #: Required when the app builds the load balancer (checked in scenario_rules), else refused.
    backends: list[Backend] = Field(default_factory=list)

    # Its listeners.
    listener_protocol: str = "tcp"
    frontend_port: int = 80
    backend_port: int = 80
    #: Several listeners instead of ``listener_protocol`` / ``frontend_port`` / ``backend_port``. None: that one.
    listeners: list[ListenerSettings] | None = None

    # The endpoint service.
    auto_accept: bool = False
    zone_affinity: bool = True
    #: None: the construct's default description.
    description: str | None = None
    #: ``Endpoint`` or ``EndpointService``. None: Alibaba Cloud's default.
    payer: str | None = None
    #: Mbit/s per endpoint connection, 100-10240. None: Alibaba Cloud's default.
    connect_bandwidth: int | None = None
    allowed_accounts: list[str] = Field(default_factory=list)
    role_arn: str | None = None

    @property
    def mode(self) -> ServiceMode:
        """``consume`` (``service_id`` or ``service_name``), ``existing`` (``load_balancer_id``), else ``build``."""
        if self.service_id is not None or self.service_name is not None:
            return "consume"
        return "existing" if self.load_balancer_id is not None else "build"

    @property
    def all_listeners(self) -> tuple[Listener, ...]:
        """``listeners``, or the one listener the single-listener settings describe (first: the primary one)."""
        given = [
            Listener(
                protocol=typing.cast(AnyListenerProtocol, entry.protocol),
                frontend_port=entry.frontend_port,
                backend_port=entry.backend_port,
                certificate_id=entry.certificate_id,
                redirect_to=entry.redirect_to,
            )
            for entry in self.listeners or ()
        ]
        return listeners_of(given, self.protocol, self.frontend_port, self.backend_port)

    @property
    def protocol(self) -> ListenerProtocol:
        """``listener_protocol`` as the constructs type it; :func:`check_scenario` refuses any other value."""
        return typing.cast(ListenerProtocol, self.listener_protocol)


class Consumer(_Zoned):
    """One consumer VPC (VPC1, ...): network, endpoint, optional demo client and DNS name."""

    name: str
    zones: list[ConsumerZone] | None = None  # type: ignore[assignment]  # a consumer's zones also take endpoint_ip
    #: The consumer's region. None: the scenario's ``region`` (the service's).
    region: str | None = None
    #: Single-zone form: the endpoint's interface address in the vSwitch (``eni_ip``). None: the cloud picks one.
    endpoint_ip: str | None = None
    #: The endpoint connection's bandwidth in Mbit/s, set when the service owner accepts it. None: the service's.
    bandwidth: int | None = None
    #: Cross-region only: the endpoint's cross-region bandwidth in Mbit/s. None: Alibaba Cloud's default.
    cross_region_bandwidth: int | None = None
    #: ``IPv4`` or ``DualStack``: the endpoint's ``address_ip_version``. None: IPv4, the provider's default.
    ip_version: str | None = None
    endpoint_name: str | None = None
    client_ip: str | None = None
    client_name: str = "ecs1"
    client_cidrs: list[str] | None = None
    security_group_id: str | None = None
    account_id: str | None = None
    role_arn: str | None = None
    dns_name: str | None = None

    def region_or(self, default: str) -> str:
        """The consumer's region: ``region``, or ``default`` (the scenario's) when not given."""
        return self.region or default

    def endpoint_ips(self) -> dict[str, str]:
        """The fixed endpoint address of each zone that has one, by zone."""
        if self.zones is not None:
            return {zone.zone: zone.endpoint_ip for zone in self.zones if zone.endpoint_ip is not None}
        return {self.zone: self.endpoint_ip} if self.zone is not None and self.endpoint_ip is not None else {}

    @property
    def effective_endpoint_name(self) -> str:
        """``endpoint_name``, or ``ep-<name>`` when not given."""
        return self.endpoint_name or default_endpoint_name(self.name)

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
    prefix: str = DEFAULT_OSS_PREFIX
    region: str | None = None
    tablestore_endpoint: str | None = None
    tablestore_table: str | None = None


class Scenario(_Settings):
    """A whole PrivateLink deployment: one service and its consumers."""

    region: str
    name: str = DEFAULT_SCENARIO_NAME
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
    def supported_regions(self) -> list[str]:
        """The service's ``supported_region_list``: its own region and every consumer region, sorted, once each;
        empty (the service's own region only, Alibaba Cloud's default) while no consumer is in another region.

        The own region is listed even with no consumer there: the provider reads the list back as the cloud
        holds it (``SupportedRegionSet``, resource_alicloud_privatelink_vpc_endpoint_service.go, v1.289.0), and a
        consumer added there later then changes nothing on the service.
        """
        regions = {self.region, *(consumer.region_or(self.region) for consumer in self.consumers)}
        return sorted(regions) if len(regions) > 1 else []

    @property
    def common_tags(self) -> dict[str, str]:
        """Tags for every taggable resource: ``scenario = <name>`` plus ``[tags]``."""
        return {"scenario": self.name, **self.tags}
