"""The browser tests' server settings: production's, with strict template variables (an
undefined variable is a 500 and a traceback in the server log, which tests/e2e/conftest.py
turns into a failed test)."""

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES
from tests.helpers import STRICT_TEMPLATE_VARIABLE

for _backend in TEMPLATES:
    _backend["OPTIONS"]["string_if_invalid"] = STRICT_TEMPLATE_VARIABLE
