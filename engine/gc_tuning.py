"""Garbage collection for one batch run of the command line: off.

Loading and evaluating builds millions of small objects that live to the end of the run, and
Python's cycle collector walks each of them at least once (at 100k facts: 1 to 2.7 s of an
11 s evaluation, whatever the thresholds, since every young object is walked). The run makes
little cyclic garbage (durable_rules' action contexts; at 100k facts about 640k objects, 3%
of the peak memory), and a command-line run ends with its process, so the collector is
turned off for it; reference counting still frees everything else at once. Never called by
the library functions, so a long-lived process that imports the engine (the tests, an
editor) keeps Python's defaults.
"""

from __future__ import annotations

import gc


def for_batch_run() -> None:
    gc.freeze()  # what is loaded so far (modules, classes) is never walked again
    gc.disable()
