"""axe-core, vendored in tests/vendor/axe-core, and a readable account of what it finds."""

import os

AXE_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "vendor", "axe-core", "axe.min.js")


def describe_axe_violations(violations):
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + " | ".join(node["html"][:160] for node in violation["nodes"][:3])
        for violation in violations
    )
