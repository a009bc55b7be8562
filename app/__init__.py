"""The app's own machinery, beside ``main.py``: what is neither a stack nor a construct.

Modules: ``cli`` (the command line: synth, check, validate), ``output`` (the
owned output folder, replaced in one atomic step), ``scenario_schema`` (the scenario file's JSON
Schema, ``make scenario-schema``) and ``diagram`` (the architecture drawn from
synthesized stacks, ``python -m app.diagram``).
"""
