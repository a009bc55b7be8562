# Set-up is two commands on a fresh machine: `make synth` and `make test`.
# Every target installs what it needs into project-local folders.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := $(VENV)/node/.installed
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed
SCHEMA_COPY := tools/schema/alicloud-provider-schema.json
SCHEMA ?= $(SCHEMA_COPY)
# The L1 bindings are generated, not committed: this file stands for the generated modules.
BINDINGS := constructs/alicloud_privatelink/bindings/__init__.py
EXAMPLES := $(wildcard examples/*.toml)


.PHONY: fuzz
.PHONY: venv synth test lint typecheck unit test-cdktn scan diagram scenario-schema bench bindings build lock lock-scan clean
.PHONY: test-terraform terraform-suite test-deploy deploy-suite plan-offline lock-terraform test-day-two day-two-suite

venv: $(STAMP) $(NODE_STAMP) $(BINDINGS)

$(STAMP): requirements.lock pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The L1 bindings (constructs/alicloud_privatelink/bindings, all but _base.py), generated from the
# committed schema copy whenever they are missing or the copy or the generator changed; git ignores
# them. (`pip install -e .` generates them too, through setup.py.)
$(BINDINGS): $(SCHEMA_COPY) tools/gen_bindings.py | $(STAMP)
	$(PY) tools/gen_bindings.py
	touch $@

# A supported Node.js for jsii (the machine's Node 20 is end-of-life); the
# venv hands it to jsii through JSII_NODE (see tools/install-node.sh).
$(NODE_STAMP): $(STAMP) tools/node/package.json tools/node/package-lock.json tools/install-node.sh
	tools/install-node.sh $(VENV)
	touch $@

# -O as in cdktf.json's "app": jsii's Python-side type checks off (README, "Speed").
synth: venv
	$(PY) -O main.py

# ruff follows .gitignore, so the generated bindings get a run of their own.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check --no-respect-gitignore --quiet constructs/alicloud_privatelink/bindings
	$(VENV)/bin/ruff format --check --no-respect-gitignore --quiet constructs/alicloud_privatelink/bindings

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest

test: lint typecheck unit

# The scenario fuzz test (tests/test_fuzz.py) searching widely with fresh randomness;
# `make test` runs a fixed sample of it. FUZZ_EXAMPLES=20000 by default.
FUZZ_EXAMPLES ?= 20000
fuzz: venv
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -p no:cacheprovider tests/test_fuzz.py

# The same suite on CDK Terrain (cdktn, the maintained fork of cdktf), in a
# virtualenv of its own that has cdktn and no cdktf; first a check that the
# library really runs on cdktn there. The project is installed with --no-deps
# because its default dependency is cdktf.
CDKTN_VENV := .venv-cdktn
CDKTN_STAMP := $(CDKTN_VENV)/.installed
CDKTN_NODE_STAMP := $(CDKTN_VENV)/node/.installed
.PHONY: test-cdktn lock-cdktn test-wheel

$(CDKTN_STAMP): requirements-cdktn.lock pyproject.toml setup.py
	$(PYTHON) -m venv $(CDKTN_VENV)
	$(CDKTN_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-cdktn.lock
	$(CDKTN_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(CDKTN_NODE_STAMP): $(CDKTN_STAMP) tools/node/package.json tools/node/package-lock.json tools/install-node.sh
	tools/install-node.sh $(CDKTN_VENV)
	touch $@

test-cdktn: $(BINDINGS) $(CDKTN_STAMP) $(CDKTN_NODE_STAMP)
	PRIVATELINK_CDK_RUNTIME=cdktn $(CDKTN_VENV)/bin/python -c 'import importlib.util as u, alicloud_privatelink as a; \
	assert u.find_spec("cdktf") is None, "cdktf is installed in $(CDKTN_VENV)"; \
	assert a.RUNTIME_NAME == "cdktn", a.RUNTIME_NAME; print("runtime:", a.RUNTIME_NAME)'
	$(CDKTN_VENV)/bin/mypy --cache-dir $(CDKTN_VENV)/.mypy_cache
	PRIVATELINK_CDK_RUNTIME=cdktn $(CDKTN_VENV)/bin/pytest -p no:cacheprovider

# Build the wheel, install it into a fresh virtualenv and run
# examples/library_usage.py against it from outside the repo (10-20 seconds;
# it needs the package index for the build backend and the dependencies).
test-wheel: venv
	$(VENV)/bin/pytest -m wheel tests/test_wheel.py

# checkov has heavy dependencies, so it gets a virtualenv of its own.
$(SCAN_STAMP): requirements-scan.lock
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-scan.lock
	touch $@

# checkov, with the project's policies in tools/checkov, over the default scenario
# and every example; fails on any failed check, and unless every project policy
# fails on a deliberately insecure copy of the default scenario (tools/scan.sh).
scan: venv $(SCAN_STAMP)
	$(VENV)/bin/mypy --python-executable $(SCAN_VENV)/bin/python tools/checkov
	bash tools/scan.sh

# The architecture, drawn from the synthesized Terraform JSON of the default
# scenario (or DIAGRAM_CONFIG=examples/<x>.toml): docs/architecture.dot and .svg,
# and the Mermaid block between the diagram markers in README.md. Without
# Graphviz (`apt-get install graphviz`) the SVG is skipped with a note; the rest
# is still refreshed.
DIAGRAM_CONFIG ?=
diagram: venv
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PY) main.py --quiet $(if $(DIAGRAM_CONFIG),--config $(DIAGRAM_CONFIG)) --out "$$tmp/out" && \
	$(PY) -m app.diagram --dir "$$tmp/out" --dot docs/architecture.dot --svg docs/architecture.svg --readme README.md

# The JSON Schema of the scenario file (docs/scenario.schema.json), from the
# scenario models in stacks/settings.py, for editors (see README); a test keeps
# it in step.
scenario-schema: venv
	$(PY) -m app.scenario_schema --out docs/scenario.schema.json

# Wall clock and peak memory of synthesis (jsii start-up, the default scenario,
# 10 and 100 consumers), median of BENCH_RUNS fresh processes each, against
# targets; prints the table and writes docs/benchmark.md (about a minute).
BENCH_RUNS ?= 7
bench: venv
	$(PY) tools/bench.py --runs $(BENCH_RUNS)

# Real Terraform (>= 1.4 on PATH) with a stand-in aliyun/alicloud provider
# (tools/terraform/): for the default scenario and every example, each stack
# gets init, validate, plan, apply, an empty re-plan and a destroy, offline;
# then the negative cases (tests/test_terraform.py). Without Terraform it says
# so in one line and skips, or fails when CI=true.
TF_VENV := .venv-terraform
TF_STAMP := $(TF_VENV)/.installed
TF_MIRROR := $(TF_VENV)/mirror/.installed
TF_CHECK = $(PYTHON) tools/terraform/lifecycle.py require-terraform

$(TF_STAMP): requirements-terraform.lock
	$(PYTHON) -m venv $(TF_VENV)
	$(TF_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-terraform.lock
	touch $@

$(TF_MIRROR): $(TF_STAMP) tools/terraform/install-mirror.sh
	tools/terraform/install-mirror.sh $(TF_VENV)
	touch $@

test-terraform:
	@if $(TF_CHECK); then $(MAKE) --no-print-directory terraform-suite; else test "$$CI" != true; fi

terraform-suite: venv $(TF_MIRROR)
	MYPYPATH=tools/terraform $(VENV)/bin/mypy --python-executable $(TF_VENV)/bin/python tools/terraform/*.py
	$(PY) tools/terraform/lifecycle.py test $(EXAMPLES)
	$(VENV)/bin/pytest -m terraform tests/test_terraform.py

# Day two: every row of the README's change table applied before -> after on the offline cloud
# (tools/terraform/day_two.py): apply, re-plan "No changes", connections still Connected.
test-day-two:
	@if $(TF_CHECK); then $(MAKE) --no-print-directory day-two-suite; else test "$$CI" != true; fi

day-two-suite: venv $(TF_MIRROR)
	$(TF_VENV)/bin/python tools/terraform/day_two.py

# `cdktf deploy` and `cdktf destroy` of the default scenario with the pinned
# cdktf CLI (tools/cdktf-cli/, run on the supported Node in .venv/node) and the
# stand-in provider, in a temporary folder (tools/terraform/deploy.sh); then
# `cdktf synth` and `cdktf synth --hcl` on a fresh clone leave `git status` clean
# (tests/test_cdktf_cli.py).
CDKTF_CLI := $(VENV)/cdktf-cli/.installed
$(CDKTF_CLI): $(NODE_STAMP) tools/cdktf-cli/package.json tools/cdktf-cli/package-lock.json tools/terraform/install-cdktf-cli.sh
	tools/terraform/install-cdktf-cli.sh $(VENV)
	touch $@

test-deploy:
	@if $(TF_CHECK); then $(MAKE) --no-print-directory deploy-suite; else test "$$CI" != true; fi

deploy-suite: venv $(TF_MIRROR) $(CDKTF_CLI)
	tools/terraform/deploy.sh $(VENV) $(TF_VENV)
	$(VENV)/bin/pytest -m cdktf_cli tests/test_cdktf_cli.py

# A dry run before the first real deploy: synthesize CONFIG, then init,
# validate and plan every stack with the stand-in provider, no credentials,
# in a temporary copy (your state is never touched).
CONFIG ?=
plan-offline:
	@$(TF_CHECK) || exit 1
	@$(MAKE) --no-print-directory venv $(TF_MIRROR) >/dev/null
	@$(PY) tools/terraform/lifecycle.py plan-offline $(if $(CONFIG),--config $(CONFIG))

# The L1 bindings (constructs/alicloud_privatelink/bindings), generated from a provider
# schema in `terraform providers schema -json` form. SCHEMA=file.json picks another
# schema, TYPES="alicloud_x alicloud_y provider" a selection of types, and
# BINDINGS_OUT=dir another output folder (for bindings of your own; see README).
TYPES ?=
BINDINGS_OUT ?=
bindings: venv
	$(PY) tools/gen_bindings.py --schema "$(SCHEMA)" $(if $(TYPES),--types "$(TYPES)") $(if $(BINDINGS_OUT),--out "$(BINDINGS_OUT)")

lock:
	PYTHON=$(PYTHON) tools/lock.sh requirements.txt requirements.lock

lock-terraform:
	PYTHON=$(PYTHON) tools/lock.sh requirements-terraform.txt requirements-terraform.lock

lock-scan:
	PYTHON=$(PYTHON) tools/lock.sh requirements-scan.txt requirements-scan.lock

lock-cdktn:
	PYTHON=$(PYTHON) tools/lock.sh requirements-cdktn.txt requirements-cdktn.lock

clean:
	rm -rf $(VENV) .venv-* cdktf.out dist build .pytest_cache .mypy_cache .ruff_cache
	grep -l '^# Generated by tools/gen_bindings.py' constructs/alicloud_privatelink/bindings/*.py | xargs rm -f
