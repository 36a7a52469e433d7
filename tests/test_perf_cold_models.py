"""Fact models are built when first used (pydantic's defer_build, engine/facts.py).

A fact read back from the cache of validated facts is a pickled model that is never
validated again, so in that process its model may never be built. Each check runs in a
fresh interpreter, where no model has been built yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

_VALIDATE_AND_PICKLE = """
import json, pickle, sys
from pathlib import Path
from engine.diagnostics import Diagnostics
from engine.facts import MODEL_BY_KIND
from engine.loader import load_facts

diags = Diagnostics()
facts = load_facts(Path("facts"), diags)
assert not diags, diags
service = MODEL_BY_KIND["service"].model_validate({
    "id": "ev-training", "kind": "service", "summary": "training of gunners",
    "date": {"year": 2023}, "modality": "alleged", "asserted_by": ["USA"],
    "cite": [{"source": "s", "quote": "trained"}], "service": "training",
    "provider": "PRK", "recipient": "RUS",
})
every = [*facts.facts.values(), service]
Path(sys.argv[1]).write_bytes(pickle.dumps(every, protocol=pickle.HIGHEST_PROTOCOL))
print(json.dumps([f.model_dump(mode="json") for f in every]))
"""

_UNPICKLE_AND_USE = """
import json, pickle, sys
from pathlib import Path
import engine.facts as model

facts = pickle.loads(Path(sys.argv[1]).read_bytes())
built = sorted({type(f).__name__ for f in facts if type(f).__pydantic_complete__})
state = next(f for f in facts if f.kind == "state")
event = next(f for f in facts if f.kind == "arms_transfer" and f.date.day is not None)
out = {
    "built_by_unpickling": built,
    "kinds": sorted({f.kind for f in facts}),
    "round_trip_equal": state == pickle.loads(pickle.dumps(state)),
    "constructed_equal": model.State.model_construct(**dict(state)) == state,
    "evidence_rank": event.evidence_rank,
    "precision": event.date.precision,
    "earliest": str(event.date.earliest),
}
try:
    state.name = "changed"
    out["frozen"] = False
except Exception as exc:
    out["frozen"] = type(exc).__name__
out["dumped"] = [f.model_dump(mode="json") for f in facts]
print(json.dumps(out))
"""


def _python(code: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_facts_pickled_in_one_process_are_whole_in_a_fresh_one(tmp_path: Path) -> None:
    pickled = tmp_path / "facts.pickle"
    dumped_before = json.loads(_python(_VALIDATE_AND_PICKLE, str(pickled)))
    after = json.loads(_python(_UNPICKLE_AND_USE, str(pickled)))
    assert after["built_by_unpickling"] == []  # reading back needs no validator
    assert "service" in after["kinds"]  # a vocabulary kind pickles like a core one
    assert after["dumped"] == dumped_before  # every field and computed field, as validated
    assert after["round_trip_equal"] and after["constructed_equal"]
    assert after["frozen"] == "ValidationError"
    assert after["evidence_rank"] >= 0 and after["precision"] in ("day", "month", "year", "range")
    assert after["earliest"] != "None"


def test_a_deferred_model_still_rejects_what_it_always_rejected() -> None:
    code = """
import json
from pydantic import ValidationError
from engine.facts import MODEL_BY_KIND, FactFile
errors = []
for raw in ({"kind": "state", "id": "RUS", "name": "Russia", "iso3": "RUS",
             "un_member": True, "cite": [], "extra": 1},
            {"kind": "state", "id": "XX", "name": "X", "iso3": "RUS", "un_member": True,
             "cite": [{"quote": "q"}]}):
    try:
        MODEL_BY_KIND["state"].model_validate(raw)
    except ValidationError as exc:
        errors.append(sorted(e["type"] for e in exc.errors()))
schema = FactFile.model_json_schema()
print(json.dumps({"errors": errors, "kinds": len(schema["$defs"])}))
"""
    out = json.loads(_python(code))
    assert out["errors"] == [["extra_forbidden", "too_short"], ["value_error"]]
    assert out["kinds"] > 20


def test_rules_see_the_same_fields_on_a_model_not_yet_built() -> None:
    """Rule checks read each kind's fields, computed ones included (a date's `earliest`, an
    event's `evidence_rank`), whether or not a fact of that kind was validated yet."""
    code = """
import json
from pydantic import BaseModel
import engine.facts as model
from engine.language.fields import model_fields

before = {k: repr(model_fields(m)) for k, m in model.MODEL_BY_KIND.items()}
classes = [c for c in vars(model).values()
           if isinstance(c, type) and issubclass(c, BaseModel) and c is not BaseModel]
for c in classes:
    c.model_rebuild(force=True)
unresolved = [f"{c.__name__}.{n}" for c in classes for n, i in c.model_computed_fields.items()
              if repr(i.return_type) == "PydanticUndefined"]
after = {k: repr(model_fields(m)) for k, m in model.MODEL_BY_KIND.items()}
print(json.dumps({"same": before == after, "unresolved": unresolved,
                  "rank": before["arms_transfer"].count("path='evidence_rank', type='number'")}))
"""
    out = json.loads(_python(code))
    assert out == {"same": True, "unresolved": [], "rank": 1}
