"""Alibaba Cloud's rules for addresses, zones, names and ranges, checked before synthesis.

A wrong CIDR or zone otherwise surfaces only as a cloud API error halfway
through ``terraform apply``. The rules many settings share (addresses,
zones, names, ranges, ids) live here once, and a rule on one setting lives
in the construct module that owns it; the constructs (validating their props)
and the scenario file (validating its settings) call the same ones, so they
say the same thing. Each message starts with the dotted path of the setting.

``Checks`` collects problems instead of raising at the first one, so a user
sees everything that is wrong in one run.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ._runtime import Token

# VPC rules (Alibaba Cloud VPC documentation, "Plan networks" / "Create a VPC"):
# any private range, or a custom range outside these reserved blocks. 0.0.0.0/8
# ("this network") and 240.0.0.0/4 (reserved, RFC 1112) are not routable at all.
RESERVED_VPC_RANGES = tuple(
    ipaddress.IPv4Network(block)
    for block in ("0.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4")
)
VPC_PREFIX_LENGTHS = range(8, 29)  # /8 .. /28
VSWITCH_PREFIX_LENGTHS = range(16, 30)  # /16 .. /29
#: Security-group sources broader than this are refused (0.0.0.0/0 would admit everyone).
MIN_SOURCE_PREFIX_LENGTH = 8
#: Client blocks may together cover at most this many addresses outside PRIVATE_RANGES (one /8).
MAX_PUBLIC_SOURCE_ADDRESSES = 2**24
#: RFC 1918 and the shared range (RFC 6598) that Alibaba Cloud uses inside its network.
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(block) for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)
#: The system keeps the first address and the last three of every vSwitch.
VSWITCH_RESERVED_AT_START = 1
VSWITCH_RESERVED_AT_END = 3
#: Hard limit: inbound plus outbound rules in one security group (ECS API AuthorizeSecurityGroup,
#: "the total number of outbound and inbound rules in each security group cannot exceed 200").
MAX_RULES_PER_SECURITY_GROUP = 200
#: ``bandwidth`` of ``alicloud_privatelink_vpc_endpoint_connection``, in Mbit/s: ``IntBetween(100, 10240)``
#: (resource_alicloud_privatelink_vpc_endpoint_connection.go, aliyun/terraform-provider-alicloud v1.289.0).
#: The endpoint's own ``bandwidth`` is read-only there (Computed): the connection is where it is set.
CONNECTION_BANDWIDTH = range(100, 10241)
#: Endpoint-service resource types whose services may list other regions in ``supported_region_list``.
#: PrivateLink, "Cross-VPC private network access through PrivateLink"
#: (alibabacloud.com/help/en/privatelink/cross-vpc-private-network-access-through-privatelink): a provider
#: "deploys a load balancer, such as a Network Load Balancer (NLB), Application Load Balancer (ALB), or
#: Classic Load Balancer (CLB) ... To allow cross-region access, the provider can configure supported regions
#: for the service", and consumers then create an interface endpoint "in any supported region". No document
#: found offers it for a Gateway Load Balancer (``gwlb``) service, whose endpoints are route-table next hops.
CROSS_REGION_RESOURCE_TYPES = ("slb", "nlb", "alb")
#: Hard limit: tags per resource (Resource Management, "Limits on tags": at most 20 on a single resource).
MAX_TAGS_PER_RESOURCE = 20


@dataclass(frozen=True)
class Quota:
    """A default quota that Alibaba Cloud raises on request (in Quota Center); exceeding it only warns."""

    #: Alibaba Cloud's quota id, also what ``accepted_quotas`` lists.
    id: str
    limit: int
    what: str


# PrivateLink "Quotas and limits": pvl_quota_total_ep_per_vpc, 1,000, adjustable.
# VPC "Quotas": vpc_quota_instances_num, 10 VPCs per region, adjustable.
RAISABLE_QUOTAS = (
    Quota("vpc_quota_instances_num", 10, "VPCs per region in one account"),
    Quota("pvl_quota_total_ep_per_vpc", 1000, "endpoints per VPC"),
)
QUOTAS_BY_ID = {quota.id: quota for quota in RAISABLE_QUOTAS}

# Every pattern is used with fullmatch: ``$`` would also match before a final newline.
_REGION = re.compile(r"[a-z]{2}-[a-z]+(-[a-z0-9]+)*")
_ROLE_ARN = re.compile(r"acs:ram::(?P<account>[0-9]{16}):role/[A-Za-z0-9._-]{1,64}")
_DNS_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
#: Shapes of Alibaba Cloud resource ids, by kind (e.g. ``vpc-gw8...``).
RESOURCE_ID_PREFIXES = {
    "vpc": "vpc-",
    "vswitch": "vsw-",
    "instance": "i-",
    "security_group": "sg-",
    "service": "epsrv-",
}
_SERVICE_NAME = re.compile(
    r"com\.aliyuncs\.privatelink\.(?P<region>[a-z]{2}-[a-z]+(-[a-z0-9]+)*)\.epsrv-[a-z0-9]{1,64}"
)
_RESOURCE_ID_BODY = re.compile(r"[a-z0-9]{1,64}")
_CANONICAL_CIDR = re.compile(r"(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}/(0|[1-9][0-9]?)")
# An AccessKey id: "LTAI" and 12 to 30 letters or digits.
_ACCESS_KEY_ID = re.compile(r"LTAI[A-Za-z0-9]{12,30}")
# What Terraform evaluates inside a string (``${...}`` interpolation, ``%{...}`` directive)
# and what cdktf resolves (its token markers, e.g. ``${TfToken[TOKEN.1]}``, ``#{TfToken[...]}``).
_TERRAFORM_TEMPLATE = re.compile(r"[$%]\{")
_CDKTF_TOKEN_MARKER = re.compile(r"TfToken\[|\$\{Token\[")
_CDKTF_STRING_TOKEN = re.compile(r"\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}")


#: Longer text is refused before any other rule reads it: no setting takes more than 256 characters.
MAX_TEXT = 1024
#: How much of a value a message quotes.
QUOTE_CHARACTERS = 40
#: Longest dotted path a message shows in full.
MAX_PATH = 120

# Text a reviewer reads must show what it is. Trojan Source (CVE-2021-42574, and CVE-2021-42694 for
# invisible characters; Unicode Technical Standard #55, "Unicode Source Code Handling") makes text
# display differently from its bytes with bidirectional overrides and isolates, and hides
# characters with zero-width and other default-ignorable code points. Refused: every control (Cc),
# format (Cf: the bidi controls U+202A-202E, U+2066-2069, U+200E/F, U+061C, the zero-width
# U+200B-200D, U+2060, U+FEFF ...), line and paragraph separator (Zl, Zp), surrogate, private-use
# and unassigned code point, and the default-ignorable code points outside Cf (DerivedCoreProperties.txt).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_DEFAULT_IGNORABLE = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)


#: Space to tilde: none of these is a control, format or default-ignorable character.
_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def unsafe_character(char: str) -> bool:
    """Whether ``char`` is a control, bidirectional, zero-width or other invisible character (see above)."""
    if unicodedata.category(char) in _UNSAFE_CATEGORIES:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


def shown(value: Any) -> str:
    """``value`` as a message quotes it: ``repr``, cut to a few dozen characters; a huge number by its size.

    Python refuses to turn an integer of more than 4,300 digits into text, so those are described.
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**QUOTE_CHARACTERS:
        digits = math.floor(math.log10(abs(value))) + 1  # a float's log can round up at 99...9
        return f"a {digits - (10 ** (digits - 1) > abs(value))}-digit number"
    if isinstance(value, str) and len(value) > QUOTE_CHARACTERS:
        return f"{value[:QUOTE_CHARACTERS]!r}... ({len(value)} characters)"
    return repr(value)


def text_problem(value: str) -> str | None:
    """Why ``value`` is not safe to show a reviewer (too long, or an invisible character), or None."""
    if len(value) > MAX_TEXT:
        return f"{shown(value)} is far longer than any setting allows; give at most {MAX_TEXT} characters"
    if _PRINTABLE_ASCII.fullmatch(value):
        return None  # the usual case, at regex speed: no printable ASCII character is unsafe
    for index, char in enumerate(value):
        if unsafe_character(char):
            name = unicodedata.name(char, "a control character")
            return (
                f"{shown(value)} holds U+{ord(char):04X} ({name}) at character {index + 1}: control, "
                "bidirectional and zero-width characters make text read differently from what it is "
                "(Trojan Source, CVE-2021-42574); remove it"
            )
    return None


def one_line(text: str) -> str:
    """``text`` with control and line-break characters escaped as in ``repr``, so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


def template_problem(value: str) -> str | None:
    """Why ``value`` would not reach Terraform as literal text, or None when it would.

    ``${`` and ``%{`` start Terraform expressions and directives; cdktf's token
    markers would turn the text into a reference to another value. Escaping
    (``$${``) would also work, but refusing keeps every value readable as written.
    """
    if _CDKTF_TOKEN_MARKER.search(value):
        return "looks like a cdktf token; give the literal text"
    found = _TERRAFORM_TEMPLATE.search(value)
    if found:
        return f"contains {found.group()!r}, which Terraform would evaluate; give literal text without '${{' or '%{{'"
    return None


def access_key_problem(value: str) -> str | None:
    if _ACCESS_KEY_ID.search(value):
        return (
            "looks like an AccessKey id; credentials belong in the environment "
            "(ALIBABA_CLOUD_ACCESS_KEY_ID), never in a scenario or in code"
        )
    return None


@dataclass(frozen=True)
class Shape:
    """What a kind of text must look like (used with fullmatch), and what a mismatch says."""

    pattern: re.Pattern[str]
    #: The message; ``{value}`` is the value's repr.
    message: str
    #: Whether a cdktf token (known only at apply time) passes unchecked. Text that only a scenario file
    #: gives, such as a bucket or a stack name, is checked whatever it is.
    tokens: bool = True


#: The shapes :meth:`Checks.shape` knows.
ShapeName = Literal[
    "zone_id", "clb_name", "simple_name", "host_name", "oss_bucket", "image_id", "instance_type", "stack_name_part",
    "endpoint_name", "account_id", "role_arn",
]  # fmt: skip
#: Each shape :meth:`Checks.shape` checks, by name.
SHAPES: Mapping[ShapeName, Shape] = {
    # A zone is its region's id and a letter: eu-central-1a, cn-hangzhou-b.
    "zone_id": Shape(
        re.compile(r"[a-z]{2}-[a-z]+(-[a-z0-9]+)*?(-[a-z]|-\d+[a-z])"),  # not a region id: cn-hangzhou
        "{value} is not a zone id such as eu-central-1a or cn-hangzhou-b",
    ),
    "clb_name": Shape(
        re.compile(r"[A-Za-z0-9\-/._]{1,80}"),
        "{value} must be 1 to 80 characters of letters, digits, '-', '/', '.' and '_'",
    ),
    # A name that is valid for every resource it prefixes (VPC, instance, host ...).
    "simple_name": Shape(
        re.compile(r"[A-Za-z][A-Za-z0-9_.-]{1,63}"),
        "{value} must be 2 to 64 characters of letters, digits, '_', '.' and '-', starting with a letter",
    ),
    # ECS RunInstances, HostName (Linux): 2-64 characters; segments of letters, digits and hyphens
    # separated by periods; no period or hyphen first, last or twice in a row.
    "host_name": Shape(
        re.compile(r"(?=.{2,64}\Z)[A-Za-z0-9]+([.-][A-Za-z0-9]+)*"),
        "{value} is not a valid ECS host name: 2 to 64 letters, digits, '-' and '.', "
        "not starting or ending with '-' or '.', and no two of them in a row",
    ),
    # OSS "Bucket naming conventions": 3-63 lower-case letters, digits and hyphens,
    # starting and ending with a letter or digit.
    "oss_bucket": Shape(
        re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]"),
        "{value} is not an OSS bucket name: 3 to 63 lower-case letters, digits and '-', "
        "starting and ending with a letter or digit",
        tokens=False,
    ),
    # An image id: a public image file name (ubuntu_22_04_x64_20G_alibase_20240130.vhd) or a custom m-... id.
    "image_id": Shape(
        re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,127}"),
        "{value} is not an image id such as ubuntu_22_04_x64_20G_alibase_20240130.vhd",
    ),
    # instance_type: the provider's ValidateFunc requires the 'ecs.' prefix (resource_alicloud_instance.go).
    "instance_type": Shape(
        re.compile(r"ecs\.[a-z0-9][a-z0-9.-]*"), "{value} is not an ECS instance type such as ecs.g7.large"
    ),
    "stack_name_part": Shape(
        re.compile(r"[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?"),
        "{value} must be 1 to 40 lower-case letters, digits and '-' (it names the stack privatelink-consumer-<name>)",
        tokens=False,
    ),
    "endpoint_name": Shape(
        re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,127}"),
        "{value} must be 2 to 128 characters of letters, digits, '_' and '-', starting with a letter",
    ),
    "account_id": Shape(re.compile(r"[0-9]{16}"), "{value} is not an Alibaba Cloud account id (16 digits)"),
    "role_arn": Shape(_ROLE_ARN, "{value} is not a RAM role ARN such as acs:ram::1234567890123456:role/privatelink"),
}


class _Withheld:
    """A value already reported as unreadable: no rule checks it (it is neither text nor a number)."""

    def __repr__(self) -> str:
        return "(withheld)"


WITHHELD: Any = _Withheld()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one setting."""

    path: str
    message: str

    def __str__(self) -> str:
        path = self.path if len(self.path) <= MAX_PATH else f"{self.path[: MAX_PATH // 2]}..."
        return one_line(f"{path}: {self.message}")


class ValidationError(ValueError):
    """Raised with every problem found, one line each."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def is_token(value: Any) -> bool:
    """True for a cdktf token (a reference resolved at apply time); such values can't be checked now."""
    if isinstance(value, str):
        # Exactly cdktf's own test for a string (Token.isUnresolved: its STRING_TOKEN_REGEX in
        # tokens/private/encoding.js), without a round trip to jsii's Node process per value.
        return bool(_CDKTF_STRING_TOKEN.search(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) > 1e100 and bool(Token.is_unresolved(value))
    return False


def _prefixes(lengths: range) -> str:
    return f"/{lengths.start} to /{lengths.stop - 1}"


def account_of_role(role_arn: Any) -> str | None:
    """The account id inside a RAM role ARN, or None if it is not one."""
    match = _ROLE_ARN.fullmatch(role_arn) if isinstance(role_arn, str) else None
    return match.group("account") if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a likely typo, else an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class Checks:
    """Collects problems. Each method checks one rule and returns the parsed value, or None.

    ``allow_tokens``: skip values that are cdktf tokens (references known only
    at apply time). Constructs allow them where a prop names another resource;
    a scenario file holds only literals, so there a token is checked like any
    other text, and refused by :meth:`literal`.
    """

    def __init__(self, *, allow_tokens: bool = True) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self.allow_tokens = allow_tokens

    def is_token(self, value: Any) -> bool:
        return self.allow_tokens and is_token(value)

    def fail(self, path: str, message: str) -> None:
        problem = Problem(path, message)
        if problem not in self._seen:  # one rule reached twice (e.g. a tag key) says it once
            self._seen.add(problem)
            self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    # -- addresses ---------------------------------------------------------

    def cidr(self, path: str, value: Any) -> ipaddress.IPv4Network | None:
        """A well-formed IPv4 CIDR block in canonical prefix notation (``10.0.0.0/16``).

        A netmask form, a padded prefix or host bits are reported, and the
        network it most likely means is returned, so that checks depending on
        it still run (and duplicates are found whatever the notation).
        """
        if not isinstance(value, str) or self.is_token(value):
            return None
        if "/" not in value:
            self.fail(path, f"{shown(value)} has no prefix length; write a CIDR block such as 192.168.0.0/16")
            return None
        try:
            network = ipaddress.IPv4Network(value, strict=False)
        except ValueError:
            self.fail(path, f"{shown(value)} is not an IPv4 CIDR block such as 192.168.0.0/16")
            return None
        if not _CANONICAL_CIDR.fullmatch(value):
            # A netmask (/255.255.0.0), a host mask (/0.0.255.255) or a zero-padded prefix (/016).
            self.fail(path, f"{shown(value)} is not in canonical prefix notation; write {network}")
        elif str(network) != value:
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
            self.fail(path, f"{shown(value)} is not an IPv4 address")
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

    def source_cidr_set(self, path: str, values: Sequence[Any]) -> None:
        """Client blocks of one security group, as a set: each a :meth:`source_cidr`, no two overlapping,
        no more than a /8 outside private ranges in all, and within the rules quota of one group.

        Checking them one by one is not enough: 256 /8 blocks admit the whole internet.
        """
        networks: list[tuple[str, ipaddress.IPv4Network]] = []
        for index, value in enumerate(values):
            network = self.source_cidr(f"{path}[{index}]", value)
            if network is None:
                continue
            clash = next(((p, n) for p, n in networks if n.overlaps(network)), None)
            if clash is None:
                networks.append((f"{path}[{index}]", network))
            elif clash[1] == network:
                self.fail(f"{path}[{index}]", f"client block {network} is already used by {clash[0]}")
            else:
                self.fail(f"{path}[{index}]", f"{network} overlaps {clash[0]} {clash[1]}; give each address once")
        if len(values) > MAX_RULES_PER_SECURITY_GROUP:
            self.fail(
                path,
                f"{len(values)} blocks need {len(values)} rules, over Alibaba Cloud's limit of "
                f"{MAX_RULES_PER_SECURITY_GROUP} rules per security group; merge them into larger blocks",
            )
        blocks = [network for _, network in networks]
        total = sum(network.num_addresses for network in blocks)
        if total >= 2**32:
            self.fail(path, "together these blocks cover 0.0.0.0/0, so they would admit everyone")
            return
        public = total - sum(
            private.num_addresses if private.subnet_of(network) else network.num_addresses
            for network in blocks
            for private in PRIVATE_RANGES
            if network.overlaps(private)
        )
        if public > MAX_PUBLIC_SOURCE_ADDRESSES:
            self.fail(
                path,
                f"together these blocks admit {public} addresses outside private ranges, more than a /8; "
                "give the clients' own blocks",
            )

    def no_overlap(
        self, path: str, network: ipaddress.IPv4Network | None, other_path: str, other: ipaddress.IPv4Network | None
    ) -> None:
        if network is not None and other is not None and network.overlaps(other):
            self.fail(path, f"{network} overlaps {other_path} {other}; the two VPCs must not overlap")

    # -- zones and regions -------------------------------------------------

    def region(self, path: str, value: Any) -> str | None:
        if not isinstance(value, str) or self.is_token(value):
            return None
        if not _REGION.fullmatch(value):
            self.fail(path, f"{shown(value)} is not a region id such as eu-central-1 or cn-hangzhou")
            return None
        return value

    def zone(self, path: str, value: Any, region: str | None, region_path: str) -> str | None:
        if not isinstance(value, str) or self.is_token(value):
            return None
        # eu-central-1 -> eu-central-1a; cn-hangzhou -> cn-hangzhou-b.
        dash = "" if region and region[-1].isdigit() else "-"
        if region is not None and not (value.startswith(region) and re.fullmatch(f"{dash}[a-z]", value[len(region) :])):
            self.fail(path, f"{shown(value)} is not a zone of {region_path} {region} (zones look like {region}{dash}a)")
            return None
        return value

    def cross_region(self, path: str, region: Any, service_region: Any, resource_type: str) -> None:
        """A consumer in another region than its service needs a service type that PrivateLink connects across
        regions (:data:`CROSS_REGION_RESOURCE_TYPES`)."""
        if not isinstance(region, str) or not isinstance(service_region, str) or region == service_region:
            return
        if not self.is_token(region) and not self.is_token(service_region):
            self.cross_region_type(path, resource_type, f"{region} is not the service's region {service_region}")

    def cross_region_type(self, path: str, resource_type: str, why: str) -> None:
        """``why`` (a setting that needs cross-region access) is refused for a type outside
        :data:`CROSS_REGION_RESOURCE_TYPES`."""
        if resource_type not in CROSS_REGION_RESOURCE_TYPES:
            allowed = ", ".join(CROSS_REGION_RESOURCE_TYPES)
            self.fail(
                path,
                f"{why}, but a {resource_type!r} endpoint service cannot be reached from another region "
                f"(PrivateLink offers cross-region access for {allowed} services); keep it in the service's region",
            )

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
                f"{value} differs from {other_path} {other}; an endpoint can only use its service's zone",
            )

    # -- names and text ----------------------------------------------------

    def shape(self, name: ShapeName, path: str, value: Any) -> None:
        """``value`` has the shape ``SHAPES[name]`` (text only; anything else is the models' to refuse)."""
        shape = SHAPES[name]
        if (
            isinstance(value, str)
            and not (shape.tokens and self.is_token(value))
            and not shape.pattern.fullmatch(value)
        ):
            self.fail(path, shape.message.format(value=shown(value)))

    def oss_state_prefix(self, path: str, value: Any, made: str) -> None:
        """``made``, the ``prefix`` the stacks give Terraform's OSS backend from ``value``, is one it accepts.

        The backend's ValidateFunc for ``prefix`` refuses one that starts with ``/`` or ``./``
        ("workspace_key_prefix must not start with '/' or './'", internal/backend/remote-state/oss/backend.go,
        hashicorp/terraform v1.11), so an empty ``value`` (``/<name>/<stack>``), ``.``, ``./x`` or ``/x``
        would fail ``terraform init``.
        """
        if isinstance(value, str) and made.startswith(("/", "./")):
            quoted = repr(made) if len(made) <= MAX_PATH else shown(made)
            self.fail(
                path,
                f"{shown(value)} makes the OSS state prefix {quoted}, "
                "which Terraform's OSS backend refuses "
                "(it must not be empty or start with '/' or './'); give a folder name such as privatelink",
            )

    def resource_id(self, path: str, value: Any, kind: str) -> None:
        """An existing resource's id, shaped like its kind (``vpc-...``, ``vsw-...``, ``i-...``, ``sg-...``)."""
        if not isinstance(value, str) or self.is_token(value):
            return
        prefix = RESOURCE_ID_PREFIXES[kind]
        if not (value.startswith(prefix) and _RESOURCE_ID_BODY.fullmatch(value[len(prefix) :])):
            word = kind.replace("_", " ")
            article = "an" if word[0] in "aeiou" else "a"
            self.fail(path, f"{shown(value)} is not {article} {word} id such as {prefix}gw8abcdefgh1234")

    def service_name(self, path: str, value: Any, region: str | None, region_path: str = "region") -> None:
        """An endpoint service's name, ``com.aliyuncs.privatelink.<region>.epsrv-<id>`` (PrivateLink API
        DescribeVpcEndpointServices, ServiceName), of ``region`` when it is known."""
        if not isinstance(value, str) or self.is_token(value):
            return
        match = _SERVICE_NAME.fullmatch(value)
        if match is None:
            self.fail(
                path,
                f"{shown(value)} is not an endpoint service name: it must match "
                "com.aliyuncs.privatelink.<region>.epsrv-[a-z0-9]+ "
                "(e.g. com.aliyuncs.privatelink.eu-central-1.epsrv-gw8abcdefgh1234)",
            )
        elif region is not None and match.group("region") != region:
            self.fail(
                path,
                f"is a service of region {match.group('region')}, not of {region_path} {region}, the service's "
                f'region: set {region_path} = "{match.group("region")}" (consumers in other regions set their own)',
            )

    def literal(self, path: str, value: Any) -> bool:
        """Text that reaches Terraform exactly as written, and reads as it is: no interpolation, directive
        or token, no AccessKey, no invisible character (:func:`text_problem`). False when it is unsafe
        to read, so that no other rule quotes it."""
        if not isinstance(value, str):
            return True
        unreadable = text_problem(value)
        if unreadable:
            self.fail(path, unreadable)
            return False
        for problem in (template_problem(value), access_key_problem(value)):
            if problem:
                self.fail(path, problem)
        return True

    def literal_tree(self, path: str, value: Any) -> Any:
        """:meth:`literal` for every key and string inside parsed TOML, each under its dotted path.

        Returns ``value`` with each string that is unsafe to read replaced by :data:`WITHHELD`, so the
        other rules report nothing more about it (one line per setting, none quoting it again).
        """
        if isinstance(value, str):
            return value if self.literal(path, value) else WITHHELD
        if isinstance(value, Mapping):
            kept = {}
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                self.literal(where, key)
                kept[key] = self.literal_tree(where, item)
            return kept
        if isinstance(value, list):
            return [self.literal_tree(f"{path}[{index}]", item) for index, item in enumerate(value)]
        return value

    def description(self, path: str, value: Any) -> None:
        self.literal(path, value)
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
        if len(labels) < 3 or not all(_DNS_LABEL.fullmatch(label) for label in labels) or len(value) > 253:
            self.fail(
                path,
                f"{shown(value)} must be a lower-case DNS name with a host and a zone, "
                "such as service.internal.example",
            )

    # -- numbers and choices -----------------------------------------------

    def in_range(self, path: str, value: Any, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or self.is_token(value):
            return
        if not low <= value <= high:
            self.fail(path, f"{shown(value)} is out of range; use {low} to {high}")

    def port(self, path: str, value: Any) -> None:
        self.in_range(path, value, 1, 65535)

    def weight(self, path: str, value: Any) -> None:
        self.in_range(path, value, 0, 100)

    def some_weight(self, path: str, weights: Sequence[Any]) -> None:
        """At least one backend must take traffic."""
        numbers = [w for w in weights if isinstance(w, int) and not isinstance(w, bool)]
        if numbers and len(numbers) == len(weights) and not any(numbers):
            self.fail(
                path, "every weight is 0, so the load balancer would send traffic nowhere; give one a weight above 0"
            )

    def one_of(self, path: str, value: Any, choices: Sequence[str]) -> None:
        if isinstance(value, str) and not self.is_token(value) and value not in choices:
            listed = ", ".join(choices)
            self.fail(path, f"{shown(value)} is not allowed{did_you_mean(value, choices)}; use one of {listed}")

    # -- accounts ----------------------------------------------------------

    def tags(self, path: str, value: Any, built_in: Sequence[str] = ()) -> None:
        """Alibaba Cloud tag rules: at most 20, keys 1-128 characters, values up to 128, no reserved prefixes.

        ``built_in``: keys the caller adds itself; they count towards the 20 and may not be overridden.
        """
        if not isinstance(value, Mapping):
            return
        count = len(value) + sum(1 for key in built_in if key not in value)
        if count > MAX_TAGS_PER_RESOURCE:
            extra = f" with the built-in {', '.join(built_in)}" if built_in else ""
            self.fail(path, f"{count} tags{extra}; Alibaba Cloud allows at most {MAX_TAGS_PER_RESOURCE} per resource")
        for key, text in value.items():
            where = f"{path}.{key}"
            self.literal(where, key)
            self.literal(where, text)
            if key in built_in:
                self.fail(where, f"{key!r} is a built-in tag this tool sets; choose another key")
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
                plain = value if isinstance(value, int) or len(value) <= QUOTE_CHARACTERS else shown(value)
                self.fail(path, f"{what} {plain} is already used by {first_seen[value]}")
            else:
                first_seen[value] = path

    def new_or_existing(self, new_path: str, new_value: Any, existing_path: str, existing_value: Any) -> None:
        """Exactly one of "create it from this setting" and "use this existing one" (e.g. vpc_cidr / vpc_id)."""
        if new_value is not None and existing_value is not None:
            self.fail(existing_path, f"give either {new_path} or {existing_path}, not both")
        elif new_value is None and existing_value is None:
            self.fail(new_path, f"is required (or give {existing_path} to use an existing one)")
