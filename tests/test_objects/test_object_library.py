import numpy as np
import pytest
import torch

from hoverse.objects import ObjectLibrary


def test_reads_ycb_layout(objects_dir):
    lib = ObjectLibrary(objects_dir, num_samples=500)
    assert lib.names == ['ball', 'banana', 'bottle', 'bowl', 'box', 'can', 'mug']
    box = lib['box']
    assert box.samples.shape == (500, 3) and box.points.shape == (1000, 3)
    np.testing.assert_allclose(np.abs(box.corners), [[0.025, 0.035, 0.06]] * 8, atol=1e-9)
    np.testing.assert_allclose(box.center, 0, atol=1e-9)
    np.testing.assert_allclose(box.diameter, np.linalg.norm([0.05, 0.07, 0.12]), rtol=1e-6)
    # deterministic samples
    np.testing.assert_array_equal(ObjectLibrary(objects_dir, num_samples=500)['box'].samples,
                                  box.samples)


def test_sdf_is_cached_next_to_the_model(objects_dir):
    lib = ObjectLibrary(objects_dir)
    grid = lib.sdf('ball')
    assert grid.resolution == 64
    inside = grid(torch.zeros(1, 3))
    assert inside.item() < -0.03  # ball radius 35 mm
    import os
    assert os.path.isfile(lib['ball'].sdf_path)


def test_unknown_object_lists_known_ones(objects_dir):
    with pytest.raises(KeyError, match="no template for object 'teapot'.*ball, banana"):
        ObjectLibrary(objects_dir)['teapot']


def test_missing_root_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        ObjectLibrary(str(tmp_path / 'nope'))


def test_procedural_objects_are_watertight(objects_dir):
    import trimesh
    for name in ObjectLibrary(objects_dir).names:
        mesh = trimesh.load(f'{objects_dir}/{name}/textured_simple.obj', force='mesh')
        assert mesh.is_watertight, name


def test_longest_axis_is_the_longest_box_side(objects_dir):
    lib = ObjectLibrary(objects_dir)
    np.testing.assert_array_equal(lib['box'].longest_axis, [0, 0, 1.0])  # 5 x 7 x 12 cm
    np.testing.assert_array_equal(lib['mug'].longest_axis, [1.0, 0, 0])  # the handle


def test_surface_samples_lie_on_the_surface_and_repeat(objects_dir):
    lib = ObjectLibrary(objects_dir, num_samples=64)
    box = lib['box']
    pts = box.surface_samples(3000)
    assert pts.shape == (3000, 3)
    centre, half = box.corners.mean(0), np.ptp(box.corners, 0) / 2
    assert np.allclose(np.abs((pts - centre) / half).max(1), 1.0, atol=1e-6)  # on a face
    np.testing.assert_array_equal(pts, box.surface_samples(3000))
    with pytest.raises(ValueError, match='num'):
        box.surface_samples(0)


def test_template_bank_dense_samples_are_mirrored_with_the_sample(objects_dir):
    from hoverse.objects import TemplateBank
    bank = TemplateBank(objects_dir, 64, 2048)
    tb = bank.batch(['mug', 'mug'], torch.device('cpu'), [False, True])
    assert tb['samples'].shape == (2, 64, 3) and tb['dense_samples'].shape == (2, 2048, 3)
    torch.testing.assert_close(tb['dense_samples'][1], tb['dense_samples'][0]
                               * torch.tensor([-1.0, 1.0, 1.0]))
    assert 'dense_samples' not in TemplateBank(objects_dir, 64).batch(['mug'],
                                                                      torch.device('cpu'))
