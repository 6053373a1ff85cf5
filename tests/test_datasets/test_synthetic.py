import numpy as np
import pytest
import torch

from hoverse.datasets import SyntheticHODataset
from hoverse.hand_models import MANOLayer


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory, mano_dir):
    from hoverse.synthesis.generate import generate_synthetic_dataset
    root = str(tmp_path_factory.mktemp('synthetic'))
    stats = generate_synthetic_dataset(root, mano_dir, num_train=8, num_val=2, num_eval=2,
                                       num_test=0, seed=3, workers=1, progress=False)
    return root, stats


def test_generation_is_deterministic_and_penetration_small(synthetic_root, mano_dir, tmp_path):
    root, stats = synthetic_root
    assert stats['num_samples'] == 12 and stats['max_penetration_mm'] < 2.0
    from hoverse.synthesis.generate import generate_synthetic_dataset
    again = str(tmp_path / 'again')
    generate_synthetic_dataset(again, mano_dir, num_train=2, num_val=0, num_eval=0, num_test=0,
                               seed=3, workers=1, progress=False)
    import cv2
    for fid in ('0000', '0001'):
        a = cv2.imread(f'{root}/train/SYNT000/rgb/{fid}.png')
        b = cv2.imread(f'{again}/train/SYNT000/rgb/{fid}.png')
        assert np.array_equal(a, b)


def test_read_back_through_ho3d_loader(synthetic_root, mano_dir):
    root, _ = synthetic_root
    train = SyntheticHODataset(root, split='train', ann_file='train.txt', mano_path=mano_dir)
    val = SyntheticHODataset(root, split='train', ann_file='val.txt', mano_path=mano_dir)
    ev = SyntheticHODataset(root, split='evaluation', mano_path=mano_dir)
    assert (len(train), len(val), len(ev)) == (8, 2, 2)
    layer = MANOLayer(mano_dir)
    s = train.get_data_info(0)
    pose = torch.as_tensor(s['mano_pose'])[None]
    out = layer(pose[:, :3], pose[:, 3:], torch.as_tensor(s['mano_shape'])[None],
                torch.as_tensor(s['mano_transl'])[None])
    np.testing.assert_allclose(out['joints'][0].numpy(), s['joints_cam'], atol=1e-5)
    assert s['mask_path'] is not None
    # the rendered mask has hand (1) and object (2) pixels where the joints project
    import cv2
    mask = cv2.imread(s['mask_path'], cv2.IMREAD_UNCHANGED)
    assert set(np.unique(mask)) <= {0, 1, 2} and (mask == 1).sum() > 50 and (mask == 2).sum() > 50


def test_browse_dataset_writes_pictures(synthetic_root, mano_dir, tmp_path):
    from tests.conftest import run_tool
    root, _ = synthetic_root
    out = tmp_path / 'browse'
    run_tool(['tools/analysis_tools/browse_dataset.py', 'configs/_base_/datasets/synthetic.py',
              '--output-dir', str(out), '--num', '3', '--cfg-options',
              f'train_dataloader.dataset.data_root={root}',
              f'train_dataloader.dataset.mano_path={mano_dir}'])
    import cv2
    pics = sorted(out.glob('*.png'))
    assert len(pics) == 3 and cv2.imread(str(pics[0])).shape == (256, 256, 3)


def test_generation_writes_symmetries_and_grasp_types(synthetic_root):
    import json
    root, _ = synthetic_root
    with open(f'{root}/models/models_info.json') as f:
        info = json.load(f)
    assert {'box', 'can', 'ball'} <= set(info)
    assert 'symmetries_continuous' in info['can'] and 'symmetries_discrete' not in info['box']
    with open(f'{root}/generation.json') as f:
        gen = json.load(f)
    assert sum(gen['grasp_types'].values()) == 12


def test_painted_objects_show_their_pose_and_plain_ones_do_not():
    """The painted box rendered at R and at R * (half turn) differs; the plain can at R and
    at R * (spin about its axis) looks the same: what the symmetry table says."""
    from scipy.spatial.transform import Rotation

    from hoverse.synthesis.renderer import HandObjectRenderer
    from hoverse.objects.procedural import make_procedural_object
    r = HandObjectRenderer(128, 128)
    K = np.array([[200.0, 0, 64], [0, 200.0, 64], [0, 0, 1]])
    R = Rotation.from_rotvec([0.5, 0.8, 0.2]).as_matrix()

    def render(name, S):
        v, f, c = make_procedural_object(name).painted_mesh()
        out = r.render(None, np.zeros((0, 3), int), v @ (R @ S).T + [0, 0, 0.45], f, K,
                       np.zeros((128, 128, 3), np.uint8), np.ones(3), np.ones(3),
                       np.array([0.2, 0.3, 1.0]), 3.0, obj_vertex_colors=c)
        return out['rgb'].astype(float)
    half = Rotation.from_rotvec([0, 0, np.pi]).as_matrix()
    spin = Rotation.from_rotvec([0, 0, 0.7]).as_matrix()
    box_diff = np.abs(render('box', np.eye(3)) - render('box', half)).mean()
    can_diff = np.abs(render('can', np.eye(3)) - render('can', spin)).mean()
    r.close()
    assert box_diff > 3 * can_diff and box_diff > 3.0  # (faceting leaves the can ~1 grey level)


def test_grasp_types_and_orientation_tied_to_the_hand(mano_dir, objects_dir):
    from hoverse.synthesis.grasp import GRASP_TYPES, grasp_orientation, synthesize_grasp
    from hoverse.objects import ObjectLibrary
    lib = ObjectLibrary(objects_dir)
    layer = MANOLayer(mano_dir)
    rng = np.random.default_rng(0)
    found = {}
    for t in GRASP_TYPES:
        g = synthesize_grasp(layer, lib['box'], lib.sdf('box'), rng, grasp_types=[t],
                             max_tries=30)
        assert g is not None and g.grasp_type == t and g.penetration < 0.002, t
        found[t] = g.hand_pose
    poses = np.stack(list(found.values()))
    assert np.linalg.norm(poses - poses.mean(0), axis=1).min() > 0.1  # articulations differ
    # the long axis lies across the palm: perpendicular to the fingers within the tilt
    n, u = np.array([0, 0, 1.0]), np.array([1.0, 0, 0])
    for _ in range(20):
        R = grasp_orientation(np.array([0, 0, 1.0]), n, u, rng, max_spin=60, max_tilt=15)
        assert abs(np.degrees(np.arcsin(abs(R[:, 2] @ u)))) <= 15.0 + 1e-6
        np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-9)


def test_a_worker_that_cannot_render_fails_the_generation_fast(mano_dir, tmp_path):
    # an initializer that raises makes multiprocessing.Pool respawn workers forever: the
    # failure must reach the parent as an error naming the cause, not a hang
    from tests.conftest import run_tool
    proc = run_tool(['tools/misc/make_synthetic_dataset.py', str(tmp_path / 'set'), '--mano',
                     mano_dir, '--num-train', '4', '--num-val', '1', '--num-eval', '1',
                     '--num-workers', '2'], env={'PYOPENGL_PLATFORM': 'osmesa'}, timeout=180,
                    check=False)
    assert proc.returncode != 0
    assert 'could not start' in proc.stderr and 'OpenGL' in proc.stderr


def test_composed_scene_renders_the_written_sample(synthetic_root, mano_dir):
    """``compose_scene`` + ``render_scene`` (what the visibility probe uses) give the very
    image the generator wrote for the same seed and index; turning the object changes it."""
    import cv2

    from hoverse.synthesis import generate as gen
    from hoverse.objects.procedural import PROCEDURAL_OBJECTS
    from hoverse.objects.object_symmetry import axis_angle_matrix
    root, _ = synthetic_root
    gen.set_up_synthesis(mano_dir, f'{root}/models', 256)
    names = list(PROCEDURAL_OBJECTS)
    scene = gen.compose_scene(1, 3, names[1])
    out = gen.render_scene(scene)
    written = cv2.imread(f'{root}/train/SYNT000/rgb/0001.png')[..., ::-1]
    assert np.array_equal(out['rgb'], written)
    turned = gen.render_scene(scene, scene.R_obj @ axis_angle_matrix(np.array([1.0, 0, 0]), 0.5))
    assert (np.abs(turned['rgb'].astype(int) - written).max(-1) > 25).sum() > 50


def test_compose_scene_without_set_up_names_what_is_missing(monkeypatch):
    from hoverse.synthesis import generate as gen
    monkeypatch.setattr(gen, '_STATE', {})
    with pytest.raises(RuntimeError, match='set_up_synthesis'):
        gen.compose_scene(0, 0, 'box')


def test_set_up_again_after_another_renderer_ended_the_display(synthetic_root, mano_dir):
    """pyrender ends the EGL display of every renderer in a process when one is deleted;
    setting up again must still give a renderer that works."""
    from hoverse.synthesis import generate as gen
    from hoverse.visualization.renderer import HandObjectRenderer
    root, _ = synthetic_root
    gen.set_up_synthesis(mano_dir, f'{root}/models', 64)
    HandObjectRenderer(32, 32).close()  # ends the display the first renderer uses
    gen.set_up_synthesis(mano_dir, f'{root}/models', 64)
    out = gen.render_scene(gen.compose_scene(0, 3, 'box'))
    assert out['rgb'].shape == (64, 64, 3) and (out['mask'] == 2).sum() > 0
