"""axe-core accessibility checks for browser tests.

axe-core is vendored under lianxin/testing/vendor/ (test-only; never served) and injected into
the page under test. `serious_violations(page)` runs it and returns the violations of impact
"serious" or "critical", each as a readable line, so that a failing assertion says what to fix.
"""

from __future__ import annotations

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_PATH = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING = ("serious", "critical")


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def serious_violations(page) -> list[str]:
    found = []
    for violation in run_axe(page):
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return found
