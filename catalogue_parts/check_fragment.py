"""Temporary helper: validate a catalogue fragment against the schema (deleted after the merge)."""
import sys
import yaml
from pydantic import TypeAdapter
from yjzl.catalogue.schema import Catalogue

for path in sys.argv[1:]:
    data = yaml.safe_load(open(path, encoding="utf-8")) or {}
    data.setdefault("catalogue", {"id": "frag", "version": "0", "name": "frag"})
    cat = TypeAdapter(Catalogue).validate_python(data)
    for form in cat.forms:
        secs = {s.id for s in form.sections}
        ids = [f.id for f in form.fields]
        dup = {i for i in ids if ids.count(i) > 1}
        assert not dup, f"{form.id}: duplicate field ids {dup}"
        for f in form.fields:
            assert f.section in secs, f"{form.id}.{f.id}: unknown section {f.section}"
            for ref in (f.part_of, f.duplicate_of):
                assert ref is None or ref in ids, f"{form.id}.{f.id}: unknown field {ref}"
        print(f"{path}: {form.id} {len(form.fields)} fields, {len(form.sections)} sections")
    print(f"{path}: {len(cat.indicators)} indicators, {len(cat.checks)} checks, {len(cat.targets)} targets, {len(cat.frameworks)} frameworks: OK")
