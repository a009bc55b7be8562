"""A stand-in for the aliyun/alicloud Terraform provider, served from its schema.

What it is: a Terraform provider (plugin protocol 6) that knows the schema of
aliyun/alicloud v1.289.0 and the provider's own validation rules, both read at
start-up from the project's copy of the schema
(tools/schema/alicloud-provider-schema.json). It handles every resource and
data source type in that file the same way:

- validate: the provider's rules from the schema extras (rules.py); Terraform
  core checks the rest (types, required and unknown arguments, block counts);
- plan: configured values, the provider's defaults, computed values unknown;
  a change to a ``force_new`` attribute plans a replacement;
- apply: deterministic fake values of the right shape (fake.py);
- read data sources: one plausible element, so ``images[0].id`` works; the
  load-balancer look-ups answer from a seeded catalogue (catalogue.py);
- destroy: forgets the object.

What it is not: Alibaba Cloud. It does not know the cloud's runtime rules
(quotas, stock in a zone, which instance types a zone sells, whether a CIDR
block overlaps, account permissions), so a configuration that passes here can
still fail on a real deploy. It never opens a network connection and needs no
credentials.

Terraform starts it for every command, so start-up is kept cheap: one JSON
file, protobuf messages built on demand, an EC key for the plugin TLS handshake.
The wire protocol (protobuf stubs of tfplugin6 and go-plugin's controller)
comes from the PyPI package ``tf`` (requirements-terraform.txt).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import os
import sys
import tempfile
from concurrent import futures
from pathlib import Path
from typing import Any

import catalogue
import cty
import grpc
from cloud import OWNER_ACCOUNT, Cloud, CloudError
from cty import UNKNOWN
from fake import ID_PREFIX, Faker
from rules import validate_block
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

PROVIDER_ADDRESS = "registry.terraform.io/aliyun/alicloud"
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "alicloud-provider-schema.json"
#: go-plugin's handshake cookie for Terraform providers (hashicorp/terraform, internal/plugin/serve.go).
MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
#: The folder of the offline cloud's store (cloud.py), shared by every stack of one scenario.
STATE_DIR_ENV = "ALICLOUD_STANDIN_STATE"
#: Resources whose every change is an NLB configuration call, which the NLB runs as a job with a lock
#: (cloud.Cloud.nlb_job); the NLB itself only when updated (its zones).
NLB_CONFIGURATION = {
    "alicloud_nlb_listener",
    "alicloud_nlb_load_balancer_security_group_attachment",
    "alicloud_nlb_server_group_server_attachment",
}

NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}


# --- schema ------------------------------------------------------------------


def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    document = json.loads(path.read_text())
    return dict(document["provider_schemas"][PROVIDER_ADDRESS])


def _block_proto(block: dict[str, Any]) -> Any:
    attributes = [
        pb.Schema.Attribute(
            name=name,
            type=json.dumps(a["type"]).encode(),
            description=a.get("description", ""),
            required=bool(a.get("required")),
            optional=bool(a.get("optional")),
            computed=bool(a.get("computed")),
            sensitive=bool(a.get("sensitive")),
            deprecated=bool(a.get("deprecated")),
        )
        for name, a in sorted(block.get("attributes", {}).items())
    ]
    block_types = [
        pb.Schema.NestedBlock(
            type_name=name,
            block=_block_proto(bt["block"]),
            nesting=NESTING[bt["nesting_mode"]],
            min_items=bt.get("min_items", 0),
            max_items=bt.get("max_items", 0),
        )
        for name, bt in sorted(block.get("block_types", {}).items())
    ]
    return pb.Schema.Block(attributes=attributes, block_types=block_types)


def _schema_proto(schema: dict[str, Any]) -> Any:
    return pb.Schema(version=schema.get("version", 0), block=_block_proto(schema["block"]))


# --- values ------------------------------------------------------------------


def _default(attr: dict[str, Any]) -> Any:
    return cty.conform(attr["default"], attr["type"]) if "default" in attr else None


def _plan_block(
    block: dict[str, Any],
    config: Any,
    prior: Any,
    proposed: Any,
    path: list[Any],
    replace: list[list[Any]],
) -> Any:
    """The planned object for one block: proposed values, defaults, unknown computed values."""
    if proposed is None or proposed is UNKNOWN:
        return proposed
    config = config if isinstance(config, dict) else {}
    prior_object = prior if isinstance(prior, dict) else None
    planned: dict[str, Any] = {}
    for name, attr in block.get("attributes", {}).items():
        value = proposed.get(name)
        if config.get(name) is None:
            if "default" in attr and (not attr.get("computed") or prior_object is None or value is None):
                value = _default(attr)
            elif attr.get("computed") and prior_object is None:
                value = UNKNOWN
            elif attr.get("computed") and value is None and prior_object is not None:
                value = prior_object.get(name) if prior_object.get(name) is not None else _default(attr)
        planned[name] = value
        if prior_object is not None and attr.get("force_new") and prior_object.get(name) != value:
            replace.append([*path, name])
    for name, bt in block.get("block_types", {}).items():
        value = proposed.get(name)
        inner = bt["block"]
        old = prior_object.get(name) if prior_object else None
        new_config = config.get(name)
        if isinstance(value, list) and bt["nesting_mode"] == "set":
            # Terraform cannot pair set elements with prior ones; like terraform-plugin-sdk, pair each with
            # the prior element whose configured values are the same, and keep that element's computed values.
            unused = list(old) if isinstance(old, list) and prior_object is not None else []
            elements = []
            for element in value:
                match = next((p for p in unused if _same_configured(inner, element, p)), None)
                if match is not None:
                    unused.remove(match)
                elements.append(_plan_block(inner, element, match, element, [*path, name], []))
            value = elements
        elif isinstance(value, list):
            ordered = bt["nesting_mode"] == "list"
            value = [
                _plan_block(
                    inner,
                    new_config[i] if ordered and isinstance(new_config, list) and i < len(new_config) else None,
                    old[i]
                    if ordered and isinstance(old, list) and i < len(old)
                    else (None if prior_object is None else {}),
                    element,
                    [*path, name, i],
                    replace if ordered else [],
                )
                for i, element in enumerate(value)
            ]
        elif isinstance(value, dict) and bt["nesting_mode"] in ("single", "group"):
            value = _plan_block(inner, new_config, old, value, [*path, name], replace)
        planned[name] = value
        if prior_object is not None and bt.get("force_new") and old != value:
            replace.append([*path, name])
    return planned


def _settle(block: dict[str, Any], value: Any) -> Any:
    """Unknown values the schema itself decides: an allowed value where the attribute has an enum."""
    if not isinstance(value, dict):
        return value
    settled = dict(value)
    for name, attr in block.get("attributes", {}).items():
        if settled.get(name) is UNKNOWN and attr.get("enum") and isinstance(attr["type"], str):
            settled[name] = cty.conform(attr["enum"][0], attr["type"])
    for name, bt in block.get("block_types", {}).items():
        inner = settled.get(name)
        if isinstance(inner, list):
            settled[name] = [_settle(bt["block"], element) for element in inner]
        elif isinstance(inner, dict) and bt["nesting_mode"] in ("single", "group"):
            settled[name] = _settle(bt["block"], inner)
    return settled


def _same_configured(block: dict[str, Any], element: Any, prior: Any) -> bool:
    """True when ``prior`` has every value ``element`` configures (computed-only values aside)."""
    if not isinstance(element, dict) or not isinstance(prior, dict):
        return False
    for name, attr in block.get("attributes", {}).items():
        mine = element.get(name)
        if attr.get("computed") and (mine is None or not attr.get("optional")):
            continue
        if mine != prior.get(name):
            return False
    return all(element.get(name) == prior.get(name) for name in block.get("block_types", {}))


def _attribute_path(steps: list[Any]) -> Any:
    path = pb.AttributePath()
    for step in steps:
        if isinstance(step, int):
            path.steps.add(element_key_int=step)
        else:
            path.steps.add(attribute_name=step)
    return path


def _error(summary: str, detail: str = "", steps: list[Any] | None = None) -> Any:
    diagnostic = pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)
    if steps:
        diagnostic.attribute.CopyFrom(_attribute_path(steps))
    return diagnostic


# --- look-ups the offline cloud answers --------------------------------------


def _elements(ty: Any, name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` as elements of the list attribute ``name``: given values, the rest left for the faker."""
    fields = ty[1][name][1][1]
    return [{k: row.get(k, UNKNOWN) for k in fields} for row in rows]


def _zone_lookup(product: str) -> Any:
    def lookup(cloud: Cloud, region: str, config: dict[str, Any], ty: Any) -> dict[str, Any]:
        zones = cloud.zones(region, product)
        return {"ids": list(zones), "zones": _elements(ty, "zones", [{"id": z, "zone_id": z} for z in zones])}

    return lookup


def _endpoint_zones(cloud: Cloud, region: str, config: dict[str, Any], ty: Any) -> dict[str, Any]:
    endpoint = str(config.get("endpoint_id"))
    rows = [
        {
            **{k: z.get(k) for k in ("eni_id", "eni_ip", "status", "vswitch_id", "zone_id")},
            "id": z.get("zone_id"),
            "zone_domain": f"{endpoint}-{z.get('zone_id')}.{z.get('service_id', 'epsrv')}.{region}"
            ".privatelink.aliyuncs.com",
        }
        for z in cloud.endpoint_zones(endpoint)
    ]
    return {"ids": [r["id"] for r in rows], "zones": _elements(ty, "zones", rows)}


def _connections(cloud: Cloud, region: str, config: dict[str, Any], ty: Any) -> dict[str, Any]:
    rows = [
        {"id": c["endpoint_id"], "endpoint_id": c["endpoint_id"], "status": c["status"], "bandwidth": 3072}
        for c in cloud.connections(config.get("service_id"), config.get("endpoint_id"))
        if config.get("status") in (None, c["status"])
    ]
    return {"ids": [r["id"] for r in rows], "connections": _elements(ty, "connections", rows)}


#: Data sources the offline cloud answers from its store or its zone catalogue (cloud.ZONES).
CLOUD_LOOKUPS = {
    "alicloud_zones": _zone_lookup("ecs"),
    "alicloud_nlb_zones": _zone_lookup("nlb"),
    "alicloud_alb_zones": _zone_lookup("alb"),
    "alicloud_privatelink_vpc_endpoint_zones": _endpoint_zones,
    "alicloud_privatelink_vpc_endpoint_connections": _connections,
}


# --- the service -------------------------------------------------------------


class StandInProvider(rpc.ProviderServicer):  # type: ignore[misc]
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.resources: dict[str, Any] = schema["resource_schemas"]
        self.data_sources: dict[str, Any] = schema["data_source_schemas"]
        self.region = ""
        self.account = OWNER_ACCOUNT
        self._types: dict[tuple[str, str], Any] = {}
        directory = self._state_dir()
        #: The offline cloud, when a store folder is given; without one, every call succeeds (no state).
        self.cloud = Cloud(directory) if directory is not None else None

    def _type(self, kind: str, name: str) -> Any:
        key = (kind, name)
        if key not in self._types:
            table = self.resources if kind == "resource" else self.data_sources
            self._types[key] = cty.block_type(table[name]["block"])
        return self._types[key]

    def _state_dir(self) -> Path | None:
        value = os.environ.get(STATE_DIR_ENV)
        return Path(value) if value else None

    def _cidrs(self) -> dict[str, str]:
        if self.cloud is None:
            return {}
        with self.cloud.transaction() as store:
            return {str(v["id"]): str(v.get("cidr_block") or "") for v in store.all("alicloud_vswitch")}

    # metadata and schema

    def GetMetadata(self, request: Any, context: Any) -> Any:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=False),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in sorted(self.resources)],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in sorted(self.data_sources)],
        )

    def GetProviderSchema(self, request: Any, context: Any) -> Any:
        response = pb.GetProviderSchema.Response(
            provider=_schema_proto(self.schema["provider"]),
            server_capabilities=pb.ServerCapabilities(plan_destroy=True),
        )
        for name, schema in sorted(self.resources.items()):
            response.resource_schemas[name].CopyFrom(_schema_proto(schema))
        for name, schema in sorted(self.data_sources.items()):
            response.data_source_schemas[name].CopyFrom(_schema_proto(schema))
        return response

    def GetFunctions(self, request: Any, context: Any) -> Any:
        return pb.GetFunctions.Response()

    # validation

    def _validate(self, block: dict[str, Any], raw: Any) -> list[Any]:
        config = cty.decode(raw.msgpack)
        return [_error(message, "", steps) for steps, message in validate_block(block, config)]

    def ValidateProviderConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateProviderConfig.Response(
            diagnostics=self._validate(self.schema["provider"]["block"], request.config)
        )

    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        block = self.resources[request.type_name]["block"]
        return pb.ValidateResourceConfig.Response(diagnostics=self._validate(block, request.config))

    def ValidateDataResourceConfig(self, request: Any, context: Any) -> Any:
        block = self.data_sources[request.type_name]["block"]
        return pb.ValidateDataResourceConfig.Response(diagnostics=self._validate(block, request.config))

    def ConfigureProvider(self, request: Any, context: Any) -> Any:
        config = cty.decode(request.config.msgpack) or {}
        region = config.get("region")
        self.region = region if isinstance(region, str) else ""
        # The account the calls act in: the one in the assumed role's ARN (acs:ram::<account>:role/<name>).
        roles = config.get("assume_role") or []
        arn = roles[0].get("role_arn") if isinstance(roles, list) and roles and isinstance(roles[0], dict) else None
        self.account = arn.split(":")[3] if isinstance(arn, str) and arn.count(":") >= 4 else OWNER_ACCOUNT
        return pb.ConfigureProvider.Response()

    # state

    def UpgradeResourceState(self, request: Any, context: Any) -> Any:
        ty = self._type("resource", request.type_name)
        state = cty.conform(cty.decode_json(request.raw_state.json), ty)
        return pb.UpgradeResourceState.Response(upgraded_state=pb.DynamicValue(msgpack=cty.encode(state, ty)))

    def ReadResource(self, request: Any, context: Any) -> Any:
        # The object as the offline cloud has it now: gone, or changed by someone else (a disconnection).
        if self.cloud is None:
            return pb.ReadResource.Response(new_state=request.current_state, private=request.private)
        ty = self._type("resource", request.type_name)
        state = cty.decode(request.current_state.msgpack)
        current = self.cloud.read(request.type_name, state) if isinstance(state, dict) else state
        current = cty.conform(current, ty) if current is not None else None
        return pb.ReadResource.Response(
            new_state=pb.DynamicValue(msgpack=cty.encode(current, ty)), private=request.private
        )

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        found = self.cloud.lookup(request.type_name, request.id) if self.cloud is not None else None
        if found is None:
            return pb.ImportResourceState.Response(
                diagnostics=[_error("Cannot import non-existent remote object", f"{request.type_name} {request.id}")]
            )
        ty = self._type("resource", request.type_name)
        state = cty.conform(found, ty)
        return pb.ImportResourceState.Response(
            imported_resources=[
                pb.ImportResourceState.ImportedResource(
                    type_name=request.type_name, state=pb.DynamicValue(msgpack=cty.encode(state, ty))
                )
            ]
        )

    # plan and apply

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        ty = self._type("resource", request.type_name)
        block = self.resources[request.type_name]["block"]
        proposed = cty.decode(request.proposed_new_state.msgpack)
        prior = cty.decode(request.prior_state.msgpack)
        config = cty.decode(request.config.msgpack)
        replace: list[list[Any]] = []
        planned = _plan_block(block, config, prior, proposed, [], replace)
        if prior is not None and planned is not None and replace:
            planned["id"] = prior.get("id")  # a replacement keeps the old id until the new object exists
        return pb.PlanResourceChange.Response(
            planned_state=pb.DynamicValue(msgpack=cty.encode(planned, ty)),
            requires_replace=[_attribute_path(steps) for steps in replace],
            planned_private=request.prior_private,
            legacy_type_system=True,  # as the real provider (terraform-plugin-sdk) declares
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        type_name = request.type_name
        ty = self._type("resource", type_name)
        planned = cty.decode(request.planned_state.msgpack)
        prior = cty.decode(request.prior_state.msgpack)
        if planned is None:  # destroy
            new_state = None
        else:
            planned = _settle(self.resources[type_name]["block"], planned)
            known = {k: v for k, v in planned.items() if cty.is_known(v) and v is not None and k != "id"}
            faker = Faker(type_name, known, self.region, self._cidrs())
            new_state = faker.fill(planned, ty, "", (), one_element=False)
        if self.cloud is not None:
            try:
                new_state = self._call_cloud(type_name, prior, new_state, planned)
            except CloudError as error:
                return pb.ApplyResourceChange.Response(
                    new_state=request.prior_state,
                    diagnostics=[_error(f"{type_name}: {error.code}", str(error))],
                    legacy_type_system=True,
                )
        return pb.ApplyResourceChange.Response(
            new_state=pb.DynamicValue(msgpack=cty.encode(cty.conform(new_state, ty) if new_state else None, ty)),
            private=request.planned_private,
            legacy_type_system=True,
        )

    def _call_cloud(self, type_name: str, prior: Any, new_state: Any, planned: Any) -> Any:
        """The change as a call to the offline cloud, which refuses it or records it."""
        assert self.cloud is not None
        action = "delete" if new_state is None else ("create" if prior is None else "update")
        body = prior if new_state is None else new_state
        nlb_call = type_name in NLB_CONFIGURATION or (type_name == "alicloud_nlb_load_balancer" and action == "update")
        job = self.cloud.nlb_job(type_name, action, body) if nlb_call else contextlib.nullcontext()
        with job:
            if action == "delete":
                self.cloud.delete(type_name, prior, self.account)
                return None
            if action == "create" and type_name in ID_PREFIX:
                faker = Faker(type_name, {k: v for k, v in planned.items() if k != "id"}, self.region, {})
                new_state["id"] = self.cloud.unique_id(
                    str(new_state["id"]), lambda n: f"{ID_PREFIX[type_name]}-{faker.short('id', n)}"
                )
            if action == "create":
                return self.cloud.create(type_name, new_state, self.account)
            return self.cloud.update(type_name, prior, new_state, self.account)

    def ReadDataSource(self, request: Any, context: Any) -> Any:
        ty = self._type("data", request.type_name)
        config = cty.decode(request.config.msgpack) or {}
        block = self.data_sources[request.type_name]["block"]
        unknown = {
            name: (UNKNOWN if config.get(name) is None and attr.get("computed") else config.get(name))
            for name, attr in block.get("attributes", {}).items()
        }
        for name in block.get("block_types", {}):
            unknown[name] = config.get(name)
        for name, value in catalogue.look_up(request.type_name, config).items():  # existing load balancers
            unknown[name] = cty.conform(value, ty[1][name])
        known = {k: v for k, v in config.items() if v is not None}
        if self.cloud is not None and request.type_name in CLOUD_LOOKUPS:
            unknown.update(CLOUD_LOOKUPS[request.type_name](self.cloud, self.region, config, ty))
        faker = Faker(request.type_name, known, self.region, self._cidrs())
        state = faker.fill(unknown, ty, "", (), one_element=True)
        return pb.ReadDataSource.Response(state=pb.DynamicValue(msgpack=cty.encode(state, ty)))

    def StopProvider(self, request: Any, context: Any) -> Any:
        return pb.StopProvider.Response()


# --- go-plugin ---------------------------------------------------------------


def _certificate() -> tuple[bytes, bytes, bytes]:
    """A throw-away self-signed certificate for go-plugin's mutual TLS (AutoMTLS)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        key_pem,
        certificate.public_bytes(serialization.Encoding.PEM),
        certificate.public_bytes(serialization.Encoding.DER),
    )


def serve() -> int:
    if os.environ.get(MAGIC_COOKIE[0]) != MAGIC_COOKIE[1]:
        print(
            "This is a Terraform provider plugin (a stand-in for aliyun/alicloud); Terraform starts it, not you.",
            file=sys.stderr,
        )
        return 1
    done = futures.Future()  # type: ignore[var-annotated]

    class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
        def Shutdown(self, request: Any, context: Any) -> Any:
            done.set_result(True)
            return controller_pb.Empty()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    rpc.add_ProviderServicer_to_server(StandInProvider(load_schema()), server)
    controller_rpc.add_GRPCControllerServicer_to_server(Controller(), server)
    with tempfile.TemporaryDirectory(prefix="alicloud-standin-") as scratch:
        socket = os.path.join(scratch, "plugin.sock")
        client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
        cert_field = ""
        if client_cert:
            key_pem, cert_pem, cert_der = _certificate()
            # The client trusts exactly this certificate (sent in the handshake line below).
            credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], require_client_auth=False)
            server.add_secure_port(f"unix://{socket}", credentials)
            cert_field = base64.b64encode(cert_der).decode().rstrip("=")
        else:
            server.add_insecure_port(f"unix://{socket}")
        server.start()
        print(f"1|6|unix|{socket}|grpc|{cert_field}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            done.result()
        server.stop(grace=0.2)
    return 0


if __name__ == "__main__":
    sys.exit(serve())
