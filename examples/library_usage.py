"""alicloud-privatelink as a library: an endpoint service and one consumer, in two stacks.

    pip install <the wheel, or the repository>   # see the README, "Using the constructs as a library"
    python library_usage.py [OUTDIR]        # OUTDIR defaults to ./cdktf.out
    SYNTH_HCL_OUTPUT=true python library_usage.py [OUTDIR]   # HCL (cdk.tf) instead

This writes ``OUTDIR/stacks/<stack>/cdk.tf.json`` for a provider stack (the
service's VPC, two demo backends, an internal CLB published as a PrivateLink
endpoint service) and a consumer stack (the client's VPC and an interface
endpoint to that service), and prints nothing. Deploy them with
``cdktf deploy privatelink-provider privatelink-consumer``, or with
``terraform init && terraform apply`` in each stack's folder, provider first.

No credentials appear in code or output: at deploy time the alicloud provider
reads ``ALIBABA_CLOUD_ACCESS_KEY_ID`` and ``ALIBABA_CLOUD_ACCESS_KEY_SECRET``
(or a CLI profile) from its environment.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The stacks and outputs come from cdktf itself; the library adds the constructs.
from cdktf import App, TerraformOutput, TerraformStack

from alicloud_privatelink import (
    CLB_SOURCE_CIDR,
    AlicloudProvider,
    DemoServer,
    DemoServers,
    DemoServersProps,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    Network,
    NetworkProps,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
    PrivateLinkService,
    PrivateLinkServiceProps,
    ServiceBackend,
    format_hcl_output,
    local_state_beside_output,
)

REGION = "eu-central-1"
# PrivateLink needs the CLB, the endpoint service and every endpoint in one zone.
ZONE = "eu-central-1a"
PORT = 80


def new_stack(app: App, name: str) -> TerraformStack:
    """A stack with the alicloud provider and its state in ``terraform.<name>.tfstate`` beside OUTDIR.

    The state path is relative to the stack's folder (``OUTDIR/stacks/<name>``);
    without a backend, cdktf would write an absolute path of this machine.
    """
    stack = TerraformStack(app, name)
    local_state_beside_output(stack)
    AlicloudProvider(stack, "alicloud", region=REGION)
    return stack


def main(outdir: str) -> None:
    Path(outdir).mkdir(parents=True, exist_ok=True)  # cdktf creates only the last folder
    app = App(outdir=outdir)

    # --- Provider side: the service owner's VPC, backends and endpoint service.
    provider = new_stack(app, "privatelink-provider")
    service_network = Network(
        provider,
        "network",
        NetworkProps(name="demo-service", vpc_cidr="192.168.0.0/16", vswitch_cidr="192.168.1.0/24", zone=ZONE),
    )
    # Backends only admit the CLB (health checks and forwarded traffic come from CLB_SOURCE_CIDR).
    backend_group = IngressSecurityGroup(
        provider,
        "backend-security-group",
        IngressSecurityGroupProps(
            vpc_id=service_network.vpc_id,
            name="demo-backends",
            description="CLB health checks and PrivateLink traffic to the backend port",
            port=PORT,
            source_cidrs=[CLB_SOURCE_CIDR],
        ),
    )
    # Two ECS servers that answer HTTP with their own name. Bring your own instances
    # instead by passing their ids to ServiceBackend below.
    backends = DemoServers(
        provider,
        "backend-servers",
        DemoServersProps(
            servers=[
                DemoServer(name="backend-1", private_ip="192.168.1.11"),
                DemoServer(name="backend-2", private_ip="192.168.1.12"),
            ],
            vswitch_id=service_network.vswitch_id,
            vswitch_cidr=service_network.vswitch_cidr,
            zone=ZONE,
            security_group_id=backend_group.security_group_id,
            http_port=PORT,
        ),
    )
    # The internal CLB, its listener and backends, published as an endpoint service.
    service = PrivateLinkService(
        provider,
        "service",
        PrivateLinkServiceProps(
            vswitch_id=service_network.vswitch_id,
            zone=ZONE,
            backends=[ServiceBackend(server_id=server_id) for server_id in backends.instance_ids.values()],
            frontend_port=PORT,
            backend_port=PORT,
        ),
    )
    TerraformOutput(provider, "service_id", value=service.service_id)

    # --- Consumer side, in its own stack: the client's VPC and an endpoint to the service.
    consumer = new_stack(app, "privatelink-consumer")
    client_network = Network(
        consumer,
        "network",
        NetworkProps(name="demo-client", vpc_cidr="172.16.0.0/16", vswitch_cidr="172.16.1.0/24", zone=ZONE),
    )
    # Using `service` (a construct of the provider stack) here makes cdktf read its
    # id from the provider stack's state: a cross-stack reference. The endpoint takes
    # the service's zone, port and acceptance mode from it. For a service built
    # elsewhere, pass ExistingPrivateLinkService(service_id=..., zone=..., port=...).
    endpoint = PrivateLinkEndpoint(
        consumer,
        "endpoint",
        PrivateLinkEndpointProps(
            vpc_id=client_network.vpc_id,
            vswitch_id=client_network.vswitch_id,
            zone=ZONE,
            service=service,
            endpoint_name="demo-endpoint",
            # Only the client vSwitch may reach the endpoint, and only on the service port.
            client_cidrs=[client_network.vswitch_cidr],
        ),
    )
    # From a server in the client vSwitch: curl http://<endpoint_domain>/
    TerraformOutput(consumer, "endpoint_domain", value=endpoint.endpoint_domain)

    app.synth()
    format_hcl_output(outdir)  # with SYNTH_HCL_OUTPUT=true: cdk.tf as Terraform reads it (a no-op for JSON)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cdktf.out")
