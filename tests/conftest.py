"""Hypothesis profiles: `ci` (thorough, chosen under CI=true) and `dev` (quick, the default locally).

Choose one by hand with HYPOTHESIS_PROFILE=ci|dev. Both have no deadline (shared, noisy machines) and print
the @reproduce_failure blob, so any failure can be replayed exactly.
"""

import gc
import os

import draws
import pytest
from hypothesis import HealthCheck, settings

# ci: 30 examples a property. The whole suite took 170 s with 100 (108 s with dev's 20) on a slow hour of these
# two-core machines, against a budget of three minutes; with 60 and 7,432 tests a clean clone took 165-181 s on a
# quiet hour (each 10 examples cost about 9 s of CPU, 4.5 s of the run); with 45 and 7,602 tests it took 180.1 s
# (the thirteenth session, quiet), so 35; with 35 and 8,587 tests a quiet hour took 164.6 s after
# .ci/warm_bytecode.py (5 s; 188-194 s without it), and each 5 examples cost about 10 s of CPU, so 30
settings.register_profile(
    "ci", max_examples=30, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=20, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture(autouse=True)
def _draws_of_its_own():
    """tests/draws.py's generator starts afresh for every test (see there)."""
    draws.reseed()


@pytest.fixture(scope="session", autouse=True)
def _what_collection_loaded_is_permanent():
    """The objects alive when the first test starts (torch, numpy, hypothesis, the collected tests: some 200,000)
    live as long as the worker, yet every full collection the tests trigger walked them all again: a test that
    builds big graphs took twice its CPU time inside the suite. gc.freeze() sets them aside; every object a test
    creates is tracked and collected as before. They stay frozen when the session ends: the worker exits next,
    and unfrozen, the interpreter's last collection walked them all once more (some 3 s of the suite's end)."""
    gc.collect()                       # garbage left by collection is freed, not kept for good
    gc.freeze()
