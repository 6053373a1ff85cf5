import numpy as np
import pytest
import trimesh

from hoverse.apis.scene_export import build_scene, export_scene
from hoverse.visualization.colors import HAND_COLOR, OBJECT_COLOR


def _meshes():
    hand = trimesh.creation.icosphere(1, radius=0.04)
    obj = trimesh.creation.box((0.05, 0.08, 0.03))
    off_h, off_o = np.array([0.02, -0.03, 0.5]), np.array([-0.04, 0.01, 0.55])
    return ((hand.vertices + off_h, hand.faces), (obj.vertices + off_o, obj.faces))


def test_glb_round_trip_keeps_meshes_colours_and_the_photos_camera(tmp_path):
    hand, obj = _meshes()
    K = np.array([[500.0, 0, 320], [0, 480.0, 240], [0, 0, 1]])
    path = export_scene(build_scene(hand, obj, K, (640, 480)), str(tmp_path / 's.glb'))
    scene = trimesh.load(path, process=False)
    assert set(scene.geometry) == {'hand', 'object'}
    for name, (v, f), color in (('hand', hand, HAND_COLOR), ('object', obj, OBJECT_COLOR)):
        g = scene.geometry[name]
        # OpenGL camera frame: the OpenCV points with y and z negated
        np.testing.assert_allclose(g.vertices, v * [1, -1, -1], atol=1e-6)
        np.testing.assert_array_equal(g.faces, f)
        np.testing.assert_array_equal(g.visual.vertex_colors[0, :3], np.round(color * 255))
    # the camera at the origin looking down -z sees the meshes in front of it, with the
    # photo's vertical field of view
    assert scene.has_camera
    np.testing.assert_allclose(scene.camera.fov[1], np.degrees(2 * np.arctan(240 / 480.0)),
                               rtol=1e-4)
    assert (scene.geometry['hand'].vertices[:, 2] < 0).all()


@pytest.mark.parametrize('fmt', ['obj', 'ply'])
def test_obj_and_ply_hold_both_meshes(tmp_path, fmt):
    hand, obj = _meshes()
    path = export_scene(build_scene(hand, obj), str(tmp_path / f's.{fmt}'))
    loaded = trimesh.load(path, process=False, force='mesh')
    assert len(loaded.vertices) == len(hand[0]) + len(obj[0])
    assert len(loaded.faces) == len(hand[1]) + len(obj[1])
    expect = np.concatenate([hand[0], obj[0]]) * [1, -1, -1]
    np.testing.assert_allclose(np.sort(loaded.vertices, 0), np.sort(expect, 0), atol=1e-5)


def test_an_unknown_format_is_named(tmp_path):
    hand, _ = _meshes()
    with pytest.raises(ValueError, match="'fbx'"):
        export_scene(build_scene(hand), str(tmp_path / 's.fbx'))
