"""Alibaba Cloud's rules for addresses, zones, names and ranges, checked before synthesis.

A wrong CIDR or zone otherwise surfaces only as a cloud API error halfway
through ``terraform apply``. Every rule lives here once, so the constructs
(validating their props) and the scenario file (validating its settings) say
the same thing. Each message starts with the dotted path of the setting.

``Checks`` collects problems instead of raising at the first one, so a user
sees everything that is wrong in one run.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._runtime import Token

# VPC rules (Alibaba Cloud VPC documentation, "Plan networks" / "Create a VPC"):
# any private range, or a custom range outside these reserved blocks.
RESERVED_VPC_RANGES = tuple(
    ipaddress.IPv4Network(block) for block in ("100.64.0.0/10", "224.0.0.0/4", "127.0.0.0/8", "169.254.0.0/16")
)
VPC_PREFIX_LENGTHS = range(8, 29)  # /8 .. /28
VSWITCH_PREFIX_LENGTHS = range(16, 30)  # /16 .. /29
#: Security-group sources broader than this are refused (0.0.0.0/0 would admit everyone).
MIN_SOURCE_PREFIX_LENGTH = 8
#: The system keeps the first address and the last three of every vSwitch.
VSWITCH_RESERVED_AT_START = 1
VSWITCH_RESERVED_AT_END = 3

_REGION = re.compile(r"^[a-z]{2}-[a-z]+(-[a-z0-9]+)*$")
_ZONE_SUFFIX = re.compile(r"^-?[a-z]$")
_CLB_NAME = re.compile(r"^[A-Za-z0-9\-/._]{1,80}$")
_ENDPOINT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,127}$")
_ACCOUNT_ID = re.compile(r"^[0-9]{16}$")
_ROLE_ARN = re.compile(r"^acs:ram::(?P<account>[0-9]{16}):role/[A-Za-z0-9._-]{1,64}$")
_SIMPLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,63}$")
_STACK_NAME_PART = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# ECS (provider docs, alicloud_instance, v1.289.0; ECS RunInstances): a Linux host name is 2-64
# letters, digits, '.' and '-', never starting or ending with, or repeating, '.' or '-'.
_HOST_NAME = re.compile(r"^(?=.{2,64}$)[A-Za-z](?:[A-Za-z0-9]|[.-](?=[A-Za-z0-9]))*$")
# An image id: a public image file name (ubuntu_22_04_x64_20G_alibase_20240130.vhd) or a custom m-... id.
_IMAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,127}$")
# instance_type: the provider's ValidateFunc requires the 'ecs.' prefix (resource_alicloud_instance.go).
_INSTANCE_TYPE = re.compile(r"^ecs\.[a-z0-9][a-z0-9.-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one setting."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ValidationError(ValueError):
    """Raised with every problem found, one line each."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def is_token(value: Any) -> bool:
    """True for a reference that Terraform resolves at apply time; such values can't be checked now."""
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) > 1e100 and bool(Token.is_unresolved(value))
    return False


def _prefixes(lengths: range) -> str:
    return f"/{lengths.start} to /{lengths.stop - 1}"


def account_of_role(role_arn: Any) -> str | None:
    """The account id inside a RAM role ARN, or None if it is not one."""
    match = _ROLE_ARN.match(role_arn) if isinstance(role_arn, str) else None
    return match.group("account") if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a likely typo, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class Checks:
    """Collects problems. Each method checks one rule and returns the parsed value, or None.

    ``allow_tokens``: skip values that are Terraform references, which are
    only known at apply time. Constructs allow them; a scenario file holds
    only literals, so there a ``${`` is checked like any other text.
    """

    def __init__(self, *, allow_tokens: bool = True) -> None:
        self.problems: list[Problem] = []
        self.allow_tokens = allow_tokens

    def is_token(self, value: Any) -> bool:
        return self.allow_tokens and is_token(value)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    # -- addresses ---------------------------------------------------------

    def cidr(self, path: str, value: Any) -> ipaddress.IPv4Network | None:
        """A well-formed, canonical IPv4 CIDR block.

        With host bits set it is reported, and the network it most likely
        means is returned, so that checks depending on it still run.
        """
        if not isinstance(value, str) or self.is_token(value):
            return None
        if "/" not in value:
            self.fail(path, f"{value!r} has no prefix length; write a CIDR block such as 192.168.0.0/16")
            return None
        try:
            return ipaddress.IPv4Network(value, strict=True)
        except ValueError:
            pass
        try:
            network = ipaddress.IPv4Network(value, strict=False)
        except ValueError:
            self.fail(path, f"{value!r} is not an IPv4 CIDR block such as 192.168.0.0/16")
            return None
        self.fail(path, f"{value} has host bits set; did you mean {network}?")
        return network

    def vpc_cidr(self, path: str, value: Any) -> ipaddress.IPv4Network | None:
        network = self.cidr(path, value)
        if network is None:
            return None
        ok = True
        for reserved in RESERVED_VPC_RANGES:
            if network.overlaps(reserved):
                self.fail(
                    path,
                    f"{network} overlaps {reserved}, which Alibaba Cloud reserves; "
                    "use a range such as 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
                )
                ok = False
        if network.prefixlen not in VPC_PREFIX_LENGTHS:
            self.fail(
                path,
                f"a VPC prefix length must be {_prefixes(VPC_PREFIX_LENGTHS)}, not /{network.prefixlen}",
            )
            ok = False
        return network if ok else None

    def vswitch_cidr(
        self, path: str, value: Any, vpc: ipaddress.IPv4Network | None, vpc_path: str
    ) -> ipaddress.IPv4Network | None:
        network = self.cidr(path, value)
        if network is None:
            return None
        ok = True
        if network.prefixlen not in VSWITCH_PREFIX_LENGTHS:
            self.fail(
                path,
                f"a vSwitch prefix length must be {_prefixes(VSWITCH_PREFIX_LENGTHS)}, not /{network.prefixlen}",
            )
            ok = False
        if vpc is not None and not network.subnet_of(vpc):
            self.fail(path, f"{network} is not inside {vpc_path} {vpc}")
            ok = False
        return network if ok else None

    def host_address(
        self, path: str, value: Any, vswitch: ipaddress.IPv4Network | None, vswitch_path: str
    ) -> ipaddress.IPv4Address | None:
        """An address for a server: inside its vSwitch and not one the system reserves."""
        if not isinstance(value, str) or self.is_token(value):
            return None
        try:
            address = ipaddress.IPv4Address(value)
        except ValueError:
            self.fail(path, f"{value!r} is not an IPv4 address")
            return None
        if vswitch is None:
            return address
        if address not in vswitch:
            self.fail(path, f"{address} is not inside {vswitch_path} {vswitch}")
            return None
        offset = int(address) - int(vswitch.network_address)
        if offset < VSWITCH_RESERVED_AT_START or offset >= vswitch.num_addresses - VSWITCH_RESERVED_AT_END:
            first, last = vswitch.network_address + 1, vswitch.broadcast_address - VSWITCH_RESERVED_AT_END
            self.fail(
                path,
                f"{address} is reserved by Alibaba Cloud in {vswitch_path} {vswitch} "
                f"(the first address and the last three are); use {first} to {last}",
            )
            return None
        return address

    def source_cidr(self, path: str, value: Any) -> ipaddress.IPv4Network | None:
        """A CIDR block allowed into a security group: a network of clients, never "everyone"."""
        network = self.cidr(path, value)
        if network is not None and network.prefixlen < MIN_SOURCE_PREFIX_LENGTH:
            self.fail(
                path,
                f"{network} would admit a large part of the internet; give the clients' own CIDR blocks "
                f"(a prefix of /{MIN_SOURCE_PREFIX_LENGTH} or longer)",
            )
            return None
        return network

    def no_overlap(
        self, path: str, network: ipaddress.IPv4Network | None, other_path: str, other: ipaddress.IPv4Network | None
    ) -> None:
        if network is not None and other is not None and network.overlaps(other):
            self.fail(path, f"{network} overlaps {other_path} {other}; the two VPCs must not overlap")

    # -- zones and regions -------------------------------------------------

    def region(self, path: str, value: Any) -> str | None:
        if not isinstance(value, str) or self.is_token(value):
            return None
        if not _REGION.match(value):
            self.fail(path, f"{value!r} is not a region id such as eu-central-1 or cn-hangzhou")
            return None
        return value

    def zone(self, path: str, value: Any, region: str | None, region_path: str) -> str | None:
        if not isinstance(value, str) or self.is_token(value):
            return None
        if region is not None and not (value.startswith(region) and _ZONE_SUFFIX.match(value[len(region) :])):
            self.fail(path, f"{value!r} is not a zone of {region_path} {region} (zones look like {region}a)")
            return None
        return value

    def different_zones(self, path: str, value: Any, other_path: str, other: Any) -> None:
        if isinstance(value, str) and value == other and not self.is_token(value):
            self.fail(path, f"{value} is also {other_path}; the backup zone must be a different zone")

    def same_zone(self, path: str, value: Any, other_path: str, other: Any) -> None:
        if (
            isinstance(value, str)
            and isinstance(other, str)
            and value != other
            and not self.is_token(value)
            and not self.is_token(other)
        ):
            self.fail(
                path,
                f"{value} differs from {other_path} {other}; "
                "the endpoint, the endpoint service and the CLB must be in the same zone",
            )

    # -- names and text ----------------------------------------------------

    def clb_name(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _CLB_NAME.match(value):
            self.fail(path, f"{value!r} must be 1 to 80 characters of letters, digits, '-', '/', '.' and '_'")

    def simple_name(self, path: str, value: Any) -> None:
        """A name that is valid for every resource it prefixes (VPC, instance, host ...)."""
        if isinstance(value, str) and not self.is_token(value) and not _SIMPLE_NAME.match(value):
            self.fail(
                path,
                f"{value!r} must be 2 to 64 characters of letters, digits, '_', '.' and '-', starting with a letter",
            )

    def host_name(self, path: str, value: Any) -> None:
        """A name that is also a Linux host name and an instance name."""
        if isinstance(value, str) and not self.is_token(value) and not _HOST_NAME.match(value):
            self.fail(
                path,
                f"{value!r} must be 2 to 64 letters, digits, '.' and '-', starting with a letter, "
                "with no '.' or '-' at the end or next to another (it is the server's host name)",
            )

    def image_id(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _IMAGE_ID.match(value):
            self.fail(path, f"{value!r} is not an image id such as ubuntu_22_04_x64_20G_alibase_20240130.vhd")

    def instance_type(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _INSTANCE_TYPE.match(value):
            self.fail(path, f"{value!r} is not an ECS instance type such as ecs.g7.large")

    def stack_name_part(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not _STACK_NAME_PART.match(value):
            self.fail(
                path,
                f"{value!r} must be 1 to 40 lower-case letters, digits and '-' "
                "(it names the stack privatelink-consumer-<name>)",
            )

    def endpoint_name(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _ENDPOINT_NAME.match(value):
            self.fail(
                path,
                f"{value!r} must be 2 to 128 characters of letters, digits, '_' and '-', starting with a letter",
            )

    def description(self, path: str, value: Any) -> None:
        if not isinstance(value, str) or self.is_token(value):
            return
        if not 2 <= len(value) <= 256:
            self.fail(path, f"must be 2 to 256 characters, not {len(value)}")
        if value.startswith(("http://", "https://")):
            self.fail(path, "must not start with http:// or https://")

    def dns_name(self, path: str, value: Any) -> None:
        """A fully qualified name with at least a host label and a two-label zone."""
        if not isinstance(value, str) or self.is_token(value):
            return
        labels = value.rstrip(".").split(".")
        if len(labels) < 3 or not all(_DNS_LABEL.match(label) for label in labels) or len(value) > 253:
            self.fail(
                path,
                f"{value!r} must be a lower-case DNS name with a host and a zone, such as service.internal.example",
            )

    # -- numbers and choices -----------------------------------------------

    def in_range(self, path: str, value: Any, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or self.is_token(value):
            return
        if not low <= value <= high:
            self.fail(path, f"{value} is out of range; use {low} to {high}")

    def port(self, path: str, value: Any) -> None:
        self.in_range(path, value, 1, 65535)

    def weight(self, path: str, value: Any) -> None:
        self.in_range(path, value, 0, 100)

    def one_of(self, path: str, value: Any, choices: Sequence[str]) -> None:
        if isinstance(value, str) and not self.is_token(value) and value not in choices:
            listed = ", ".join(choices)
            self.fail(path, f"{value!r} is not allowed{did_you_mean(value, choices)}; use one of {listed}")

    # -- accounts ----------------------------------------------------------

    def account_id(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _ACCOUNT_ID.match(value):
            self.fail(path, f"{value!r} is not an Alibaba Cloud account id (16 digits)")

    def role_arn(self, path: str, value: Any) -> None:
        if isinstance(value, str) and not self.is_token(value) and not _ROLE_ARN.match(value):
            self.fail(path, f"{value!r} is not a RAM role ARN such as acs:ram::1234567890123456:role/privatelink")

    def tags(self, path: str, value: Any) -> None:
        """Alibaba Cloud tag rules: keys 1-128 characters, values up to 128, no reserved prefixes."""
        if not isinstance(value, Mapping):
            return
        for key, text in value.items():
            where = f"{path}.{key}"
            if not 1 <= len(key) <= 128:
                self.fail(where, "a tag key must be 1 to 128 characters")
            if key.lower().startswith(("aliyun", "acs:")) or key.startswith(("http://", "https://")):
                self.fail(where, "a tag key must not start with aliyun, acs:, http:// or https://")
            if isinstance(text, str) and (len(text) > 128 or text.startswith(("http://", "https://"))):
                self.fail(where, "a tag value must be at most 128 characters and not start with http:// or https://")

    # -- collections -------------------------------------------------------

    def unique(self, paths_and_values: Sequence[tuple[str, Any]], what: str) -> None:
        """Report every repeat of a value after its first use."""
        first_seen: dict[Any, str] = {}
        for path, value in paths_and_values:
            if not isinstance(value, (str, int)) or self.is_token(value):
                continue
            if value in first_seen:
                self.fail(path, f"{what} {value} is already used by {first_seen[value]}")
            else:
                first_seen[value] = path

    def new_or_existing(self, new_path: str, new_value: Any, existing_path: str, existing_value: Any) -> None:
        """Exactly one of "create it from this setting" and "use this existing one" (e.g. vpc_cidr / vpc_id)."""
        if new_value is not None and existing_value is not None:
            self.fail(existing_path, f"give either {new_path} or {existing_path}, not both")
        elif new_value is None and existing_value is None:
            self.fail(new_path, f"is required (or give {existing_path} to use an existing one)")
