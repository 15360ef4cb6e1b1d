"""Runs every scripts/browser/test_*.py in name order against a running server; see harness.py.

    run.py BASE_URL SCREENSHOT_DIR [NAME_FILTER]

Prints one line per check (ok/FAIL) and exits 1 if any failed; a test that raises counts as a failure and the
others still run.
"""

import importlib.util
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

base, shots = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else ""
here = os.path.dirname(os.path.abspath(__file__))
harness = Harness(base, shots)
try:
    for name in sorted(os.listdir(here)):
        if not (name.startswith("test_") and name.endswith(".py")) or only not in name:
            continue
        print(f"== {name}", flush=True)
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(here, name))
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            module.run(harness)
        except Exception:
            harness.check(f"{name} ran to the end", False, traceback.format_exc())
        harness.forget_session()
finally:
    harness.quit()
print(f"browser tests: {harness.failures} failure(s)")
sys.exit(1 if harness.failures else 0)
