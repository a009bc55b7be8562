"""A friendly private DNS name for an endpoint, instead of its generated domain.

The name's first label becomes a CNAME record in a PrivateZone named after
the rest (``service.internal.example`` -> record ``service`` in zone
``internal.example``), and the zone is attached to the consumer VPC, so only
that VPC resolves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs import Construct

from .bindings import PvtzZone, PvtzZoneAttachment, PvtzZoneRecord
from .checks import Checks


@dataclass(frozen=True, kw_only=True)
class PrivateDnsNameProps:
    """Props of :class:`PrivateDnsName`."""

    #: The name clients use, e.g. ``service.internal.example``.
    dns_name: str
    #: What the name points to, usually the endpoint's ``endpoint_domain``.
    target: str
    #: VPC in which the name resolves.
    vpc_id: str
    #: Record TTL in seconds. Default: 60.
    ttl: int = 60
    #: Tags for the zone. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


class PrivateDnsName(Construct):
    """PrivateZone ``zone``, CNAME ``record`` and VPC ``attachment`` for one name."""

    def __init__(self, scope: Construct, id: str, props: PrivateDnsNameProps) -> None:
        checks = Checks()
        checks.dns_name("dns_name", props.dns_name)
        checks.in_range("ttl", props.ttl, 5, 86400)
        checks.tags("tags", props.tags)
        checks.raise_if_any()
        super().__init__(scope, id)
        host, _, zone_name = props.dns_name.rstrip(".").partition(".")
        zone = PvtzZone(
            self, "zone", zone_name=zone_name, remark=f"Private name for {host}", tags=dict(props.tags) or None
        )
        PvtzZoneRecord(self, "record", zone_id=zone.id, rr=host, type="CNAME", value=props.target, ttl=props.ttl)
        PvtzZoneAttachment(self, "attachment", zone_id=zone.id, vpc_ids=[props.vpc_id])
        #: The name, as given.
        self.dns_name: str = props.dns_name
