"""Garbage collection tuned for one batch run of the command line.

Loading and evaluating builds hundreds of thousands of small objects that live to the end of
the run; with Python's default thresholds the cycle collector walks them again and again (at
20k facts that was a fifth of the run). A run of the command line is short and ends with the
process, so collections are made rare rather than turned off: memory held by cyclic garbage
stays bounded. Never called by the library functions, so a long-lived process that imports
the engine (the tests, an editor) keeps Python's defaults.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 100_000  # Python's default is 700 allocations


def for_batch_run() -> None:
    gc.freeze()  # what is loaded so far (modules, classes) is never walked again
    gc.set_threshold(GEN0_THRESHOLD, 50, 100)
