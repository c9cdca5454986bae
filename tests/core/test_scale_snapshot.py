"""No functional change from the speed work (#17): the alerts, timeline, pupil list and the
expiries, costs and provision-map reports of the demo school (420 pupils) and a 2,000-pupil
trust are those the code gave before it (``tests/core/data/scale_snapshot.json``, written by
``python -m tests.core.scale_snapshot`` before any speed change)."""

from __future__ import annotations

import json

import pytest

from tests.core.scale_snapshot import SIZES, SNAPSHOT, demo_outputs


@pytest.mark.parametrize("pupils", SIZES)
def test_outputs_match_the_snapshot_taken_before_the_speed_work(tmp_path, pupils):
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[str(pupils)]
    got = json.loads(json.dumps(demo_outputs(tmp_path, pupils)))
    assert sorted(got) == sorted(expected)
    for key in sorted(expected):
        assert got[key] == expected[key], f"{pupils} pupils: {key} changed"
