# checkov loads Python checks (plk_provider_credentials.py) only from a folder
# that has an __init__.py; the YAML policies beside it need none.
