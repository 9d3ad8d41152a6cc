"""Run axe-core (from node_modules, pinned in package.json) on a Playwright page."""

import json
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` before the browser tests."
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return results["violations"]


def assert_no_serious_violations(page) -> None:
    """Fail, listing each rule and the elements that break it, on any serious or
    critical WCAG 2.2 AA violation."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]],
        }
        for v in blocking
    ]
    assert not blocking, f"axe on {page.url}:\n" + json.dumps(report, indent=2)
