"""The fault-injection sweep runs, on a few kill points (the full sweep: docs/reliability.md)."""
import json

from tests.conftest import run_tool


def test_kills_inside_saves_resume_to_identical_weights(tmp_path):
    # 2: inside the very first save (nothing to resume from: starts again); 17: inside the
    # iter_8.pth write, after its bytes and before the rename (see the printed events)
    out = tmp_path / 'faults.json'
    run_tool(['tools/analysis_tools/fault_injection.py', '--keep', '1', '--points', '2', '17',
              '--out', str(out)], timeout=600)
    (r, ) = json.load(open(out))
    assert r['operations'] >= 20 and r['tested'] == 2 and r['identical'] == 2
    assert all(row['killed'] for row in r['rows'])
