"""Stacks: the scenario composed from the construct library, one Terraform root module per stack.

Modules: ``settings`` (the scenario file's models), ``scenario`` (reading and
checking it), ``provider_stack`` / ``consumer_stack`` (composition), ``app``
(both into one cdktf app), ``state`` and ``common``. The app's own machinery (output folder,
HCL layout, diagram) is in ``app/``.
"""
