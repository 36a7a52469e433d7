"""The long differential run, on demand: N examples spread over processes of 2,000 each
(each distinct rule set stays registered in the engine for the life of its process, so one
process for 20,000 examples would hold gigabytes).

    .venv/bin/python -m tests.differential.long_run 20000

Prints one line per chunk and exits non-zero at the first disagreement, whose example
hypothesis prints (shrunk) with every differing activation, derived fact and finding.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

CHUNK = 2000


def main(total: int) -> int:
    done = 0
    seed = 0
    while done < total:
        n = min(CHUNK, total - done)
        start = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "tests/test_differential.py",
                f"--hypothesis-seed={seed}",
            ],
            env=dict(os.environ, DIFFERENTIAL_EXAMPLES=str(n)),
            capture_output=True,
            text=True,
        )
        done += n
        print(
            f"seed {seed}: {n} examples in {time.monotonic() - start:.0f} s: "
            f"{'agree' if proc.returncode == 0 else 'DISAGREE'}",
            flush=True,
        )
        if proc.returncode != 0:
            print(proc.stdout[-20000:])
            return 1
        seed += 1
    print(f"{done} examples: engine and reference agree on all of them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
