from types import SimpleNamespace

import numpy as np
import pytest

from hoverse.synthesis.visibility import (changed_share, perpendicular_axes,
                                          scene_visibility, summarise_visibility)


def test_perpendicular_axes_are_orthonormal_to_the_axis():
    for axis in ([0, 0, 2.0], [1.0, 0, 0], [0.3, -0.5, 0.8]):
        a = np.asarray(axis) / np.linalg.norm(axis)
        P = perpendicular_axes(np.asarray(axis))
        basis = np.vstack([P, a])
        np.testing.assert_allclose(basis @ basis.T, np.eye(3), atol=1e-12)


def _render(rgb_value: int, mask_pixels: int) -> dict:
    mask = np.zeros((4, 4), np.uint8)
    mask.flat[:mask_pixels] = 2
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[mask == 2] = rgb_value
    return dict(rgb=rgb, mask=mask)


def test_changed_share_counts_object_pixels_over_the_threshold():
    base = _render(100, 8)
    assert changed_share(base, _render(100, 8)) == 0.0
    assert changed_share(base, _render(120, 8)) == 0.0  # under the threshold of 25
    assert changed_share(base, _render(200, 8)) == 1.0
    # the object grows by 4 pixels in the moved render: 4 of the 12 in either change
    assert changed_share(base, _render(100, 12)) == pytest.approx(4 / 12)
    nothing = dict(rgb=np.zeros((4, 4, 3), np.uint8), mask=np.zeros((4, 4), np.uint8))
    assert changed_share(nothing, nothing) == 0.0


def test_scene_visibility_separates_twist_from_swing():
    """A fake renderer whose object colour follows where the rotation sends the axis: a
    turn about the axis changes nothing, a turn about a perpendicular changes everything."""
    axis = np.array([0.0, 0.0, 1.0])

    def render(scene, R):
        R = scene.R_obj if R is None else R
        out = _render(0, 16)
        out['rgb'][:] = np.round((R @ axis + 1) * 120).astype(np.uint8)
        return out

    scene = SimpleNamespace(R_obj=np.eye(3), grasp_axis=axis)
    res = scene_visibility(scene, render, angle_deg=20.0)
    assert res['twist'] == 0.0 and res['swing'] == 1.0 and res['object_pixels'] == 16


def test_summarise_visibility_per_object_and_pooled():
    rows = [dict(object='mug', twist=0.01, swing=0.3), dict(object='mug', twist=0.2, swing=0.5),
            dict(object='box', twist=0.4, swing=0.4)]
    s = summarise_visibility(rows)
    assert s['mug']['samples'] == 2 and s['mug']['twist_invisible_pct'] == 50.0
    assert s['mug']['swing_median'] == pytest.approx(0.4)
    assert s['all']['samples'] == 3 and s['all']['twist_median'] == pytest.approx(0.2)
    assert s['all']['twist_invisible_pct'] == pytest.approx(100 / 3)


def test_rendered_turns_of_the_ball_change_nothing_the_bottles_spin_shows(
        mano_dir, objects_dir):
    """Through the generator's own scenes: a uniform ball's turn changes (almost) no pixel,
    the bottle's spin changes its label."""
    from hoverse.synthesis.visibility import measure_visibility
    rows = measure_visibility(mano_dir, objects_dir, [2, 6], seed=0, image_size=128,
                              objects=['box', 'can', 'bottle', 'mug', 'bowl', 'banana', 'ball'])
    by = {r['object']: r for r in rows}
    assert set(by) == {'bottle', 'ball'}
    assert by['ball']['twist'] < 0.02 and by['ball']['swing'] < 0.02
    assert by['bottle']['twist'] > 0.1 and by['bottle']['object_pixels'] > 20


def test_rotation_visibility_tool_rejects_bad_arguments():
    from tests.conftest import run_tool
    proc = run_tool(['tools/analysis_tools/rotation_visibility.py', '--num', '0'], check=False)
    assert proc.returncode == 2 and '--num must be >= 1' in proc.stderr


def test_rotation_visibility_tool_writes_rows_and_summary(mano_dir, tmp_path):
    import json

    from tests.conftest import run_tool
    out = tmp_path / 'vis.json'
    proc = run_tool(['tools/analysis_tools/rotation_visibility.py', '--mano', mano_dir,
                     '--start', '2', '--num', '1', '--image-size', '128', '--out', str(out)])
    res = json.loads(out.read_text())
    assert [r['object'] for r in res['rows']] == ['bottle'] and res['angle_deg'] == 20.0
    assert res['summary']['bottle']['twist_invisible_pct'] == 0.0
    assert 'bottle' in proc.stdout and 'twist hidden %' in proc.stdout
