"""Stacks: the scenario composed from the construct library, one Terraform root module per stack.

Modules: ``settings`` (the scenario file's models), ``scenario`` (reading and
checking it, from ``scenario_file`` (the TOML), ``scenario_shape`` (pass 1: the
shape) and ``scenario_rules`` (pass 2: Alibaba Cloud's rules)), ``names``
(names derived from the scenario's), ``provider_stack`` / ``consumer_stack``
(composition), ``app`` (both into one cdktf app), ``state`` and ``common``.
The app's own machinery (output folder, HCL layout, diagram) is in ``app/``.
"""
