import json
import warnings

import numpy as np
import pytest

from hoverse.objects import ObjectLibrary, ObjectSymmetry, write_models_info
from hoverse.objects.procedural import PROCEDURAL_OBJECTS, write_procedural_objects
from hoverse.objects.object_symmetry import axis_angle_matrix, check_symmetry
from hoverse.objects.ycb_symmetries import YCB_SYMMETRIES, ycb_symmetry


def test_bop_entry_round_trip_in_millimetres():
    half = np.diag([1.0, -1.0, -1.0, 1.0])
    half[:3, 3] = [0, 20.0, 0]  # mm, as BOP writes it
    entry = {'diameter': 120.0, 'symmetries_discrete': [half.ravel().tolist()],
             'symmetries_continuous': [{'axis': [0, 0, 2.0], 'offset': [0, 0, 5.0]}]}
    sym = ObjectSymmetry.from_bop(entry, 'x')
    assert sym.discrete.shape == (2, 4, 4)
    np.testing.assert_allclose(sym.discrete[0], np.eye(4))
    np.testing.assert_allclose(sym.discrete[1, :3, 3], [0, 0.02, 0])  # metres
    np.testing.assert_allclose(sym.axes, [[0, 0, 1.0]])
    np.testing.assert_allclose(sym.offsets, [[0, 0, 0.005]])
    assert sym.is_symmetric and not sym.fully_symmetric
    back = sym.to_bop(0.12)
    assert back['diameter'] == pytest.approx(120.0)
    np.testing.assert_allclose(back['symmetries_discrete'][0], half.ravel())
    np.testing.assert_allclose(back['symmetries_continuous'][0]['offset'], [0, 0, 5.0])


def test_group_and_full_symmetry():
    ball = ObjectSymmetry(np.eye(4)[None], np.eye(3)[[0, 2]], np.zeros((2, 3)))
    assert ball.fully_symmetric
    can = ObjectSymmetry(np.eye(4)[None], np.array([[0, 0, 1.0]]), np.zeros((1, 3)))
    assert not can.fully_symmetric
    assert not ObjectSymmetry().is_symmetric


def test_bop_set_samples_every_axis_as_bop_toolkit_does():
    """bop_toolkit's get_symmetry_transformations at max_sym_disc_step=0.01: ceil(pi / 0.01)
    = 315 angles 2 pi k / 315 per continuous axis, every axis' samples together, each after
    every discrete symmetry; no other candidate."""
    flip = np.diag([1.0, -1.0, -1.0, 1.0])  # a half turn about x
    flip[:3, 3] = [0, 0, 0.01]
    can = ObjectSymmetry(np.stack([np.eye(4), flip]), np.array([[0, 0, 1.0]]),
                         np.array([[0.01, 0, 0]]))
    T = can.bop_transforms()
    assert T.shape == (2 * 315, 4, 4)
    np.testing.assert_allclose(T[0], np.eye(4), atol=1e-12)
    step = 2 * np.pi / 315
    np.testing.assert_allclose(T[1, :3, :3], axis_angle_matrix([0, 0, 1.0], step), atol=1e-12)
    # C about the offset axis: t = o - C o
    np.testing.assert_allclose(T[1, :3, 3], [0.01, 0, 0] - T[1, :3, :3] @ [0.01, 0, 0])
    # the second block composes each sample after the flip: R = C_R D_R, t = C_R D_t + C_t
    np.testing.assert_allclose(T[316], T[1] @ flip, atol=1e-12)
    ball = ObjectSymmetry(np.eye(4)[None], np.eye(3)[[0, 2]], np.zeros((2, 3)))
    Tb = ball.bop_transforms()
    assert Tb.shape == (630, 4, 4)  # both axes, as BOP (not the first axis alone)
    np.testing.assert_allclose(Tb[315 + 1, :3, :3], axis_angle_matrix([0, 0, 1.0], step),
                               atol=1e-12)
    assert ObjectSymmetry().bop_transforms().shape == (1, 4, 4)
    assert can.bop_transforms(0.1).shape == (2 * 32, 4, 4)
    with pytest.raises(ValueError, match='max_sym_disc_step'):
        can.bop_transforms(0)


@pytest.mark.parametrize('bad, match', [
    ({'symmetries_discrete': [[1, 0, 0]]}, 'flattened 4x4'),
    ({'symmetries_discrete': [np.diag([1.0, 1, -1, 1]).ravel().tolist()]}, 'proper rotation'),
    ({'symmetries_continuous': [{'offset': [0, 0, 0]}]}, 'no "axis"'),
    ({'symmetries_continuous': [{'axis': [0, 0, 0]}]}, 'not all zero'),
])
def test_bad_entries_are_named(bad, match):
    with pytest.raises(ValueError, match=f"object 'mug'.*{match}"):
        ObjectSymmetry.from_bop(bad, 'mug')


def test_library_reads_models_info_and_every_symmetry_fits(objects_dir):
    with open(f'{objects_dir}/models_info.json') as f:
        info = json.load(f)
    assert set(info) == set(PROCEDURAL_OBJECTS)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # no symmetry may fail its own mesh
        lib = ObjectLibrary(objects_dir, num_samples=256)
        kinds = {n: (lib[n].symmetry.is_symmetric, lib[n].symmetry.fully_symmetric)
                 for n in lib.names}
    assert kinds['ball'] == (True, True)
    assert kinds['can'] == (True, False) and len(lib['can'].symmetry.discrete) == 2
    assert kinds['bowl'] == (True, False)
    for asym in ('box', 'bottle', 'mug', 'banana'):
        assert kinds[asym] == (False, False)
    assert info['box']['diameter'] == pytest.approx(lib['box'].diameter * 1000, rel=1e-6)


def test_a_symmetry_that_does_not_fit_is_warned(tmp_path):
    write_procedural_objects(str(tmp_path), ['mug'])
    write_models_info(str(tmp_path), {'mug': {'diameter': 130.0, 'symmetries_continuous': [
        {'axis': [0, 0, 1], 'offset': [0, 0, 0]}]}})  # the handle breaks it
    with pytest.warns(UserWarning, match="object 'mug'.*do not fit its mesh"):
        ObjectLibrary(str(tmp_path))['mug']


def test_check_symmetry_accepts_a_true_one_and_rejects_a_false_one(objects_dir):
    lib = ObjectLibrary(objects_dir, num_samples=256)
    can, box = lib['can'], lib['box']
    assert check_symmetry(can.samples, can.vertices, can.faces, can.symmetry, can.diameter) == []
    assert check_symmetry(box.samples, box.vertices, box.faces, can.symmetry, box.diameter)


def test_ycb_table_turns_about_the_centre():
    assert ycb_symmetry('003_cracker_box', np.zeros(3)) is None
    c = np.array([0.01, -0.02, 0.05])
    sym = ycb_symmetry('036_wood_block', c)
    assert len(sym.discrete) == 1 + len(YCB_SYMMETRIES['036_wood_block']['half_turns'])
    for T in sym.discrete:  # every transform keeps the centre in place
        np.testing.assert_allclose(T[:3, :3] @ c + T[:3, 3], c, atol=1e-12)
    bowl = ycb_symmetry('024_bowl', c)
    np.testing.assert_allclose(bowl.offsets, [c])


def test_ycb_names_without_models_info_use_the_table(tmp_path):
    import shutil
    write_procedural_objects(str(tmp_path / 'src'), ['bowl', 'box'])
    root = tmp_path / 'ycb'
    for src, dst in (('bowl', '024_bowl'), ('box', '003_cracker_box')):
        (root / dst).mkdir(parents=True)
        shutil.copy(tmp_path / 'src' / src / 'textured_simple.obj',
                    root / dst / 'textured_simple.obj')
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # the table's bowl axis fits the bowl
        lib = ObjectLibrary(str(root), num_samples=256)
        bowl, box = lib['024_bowl'], lib['003_cracker_box']
    assert len(bowl.symmetry.axes) == 1 and not bowl.symmetry.fully_symmetric
    np.testing.assert_allclose(bowl.symmetry.offsets[0], bowl.center)
    assert not box.symmetry.is_symmetric
