import pytest
import torch

from hoverse.geometry.rotations import IDENTITY_6D
from hoverse.models.fitters import HandObjectFitter
from hoverse.models.utils.physics import query_sdf, to_object_frame
from hoverse.objects import TemplateBank
from hoverse.structures import HandObjectDataSample


@pytest.fixture(scope='module')
def scene(mano_dir, objects_dir):
    from hoverse.hand_models import MANOLayer
    mano = MANOLayer(mano_dir, root_relative=True)
    bank = TemplateBank(objects_dir, num_samples=256)
    return mano, bank


def _fields(mano, bank, gap: float):
    """A flat hand 0.5 m in front of the camera and a box against its palm, moved along the
    palm's normal until the hand's nearest vertex lies ``gap`` metres from the box's
    surface (negative: that deep inside it)."""
    from hoverse.models.fitters import contact_regions
    rot6d = IDENTITY_6D.repeat(1, 16, 1)
    betas = torch.zeros(1, 10)
    hand = mano(rot6d[:, 0], rot6d[:, 1:], betas, pose_type='rot6d')
    verts = hand['verts'][0]
    palm = verts[contact_regions(mano)[-1]].mean(0)
    normal = torch.linalg.svd(verts - verts.mean(0))[2][-1]  # the flat hand's thinnest axis
    box = bank.library['box']
    centre = torch.as_tensor((box.vertices.min(0) + box.vertices.max(0)) / 2).float()
    tb = bank.batch(['box'], torch.device('cpu'))

    def trans(s):
        return (palm + s * normal)[None] - centre

    def nearest(s):
        sdf = query_sdf(tb['grids'], to_object_frame(hand['verts'], torch.eye(3)[None],
                                                     trans(s)))
        return float(sdf.min())
    near, far = 0.0, 0.3
    for _ in range(50):  # the nearest vertex's distance grows as the box moves away
        mid = (near + far) / 2
        near, far = (mid, far) if nearest(mid) < gap else (near, mid)
    fields = dict(mano_rot6d=rot6d, mano_shape=betas, root_cam_pred=torch.tensor([[0, 0, .5]]),
                  joints_3d=hand['joints'], verts_3d=hand['verts'],
                  obj_rot=torch.eye(3)[None], obj_trans_rel=trans(near))
    samples = [HandObjectDataSample(metainfo=dict(obj_name='box'))]
    K = torch.tensor([[[500.0, 0, 128], [0, 500.0, 128], [0, 0, 1]]])
    return fields, samples, K


def _depth_and_gap(bank, fields):
    tb = bank.batch(['box'], torch.device('cpu'))
    sdf = query_sdf(tb['grids'], to_object_frame(fields['verts_3d'], fields['obj_rot'],
                                                 fields['obj_trans_rel']))
    return float(torch.relu(-sdf).max()) * 1e3, float(sdf.min()) * 1e3


def test_a_hand_5mm_inside_a_box_comes_out(scene):
    mano, bank = scene
    fields, samples, K = _fields(mano, bank, -0.005)
    assert _depth_and_gap(bank, fields)[0] == pytest.approx(5.0, abs=0.1)
    out = HandObjectFitter(steps=60)(fields, mano, bank, samples, K)
    depth, _ = _depth_and_gap(bank, out)
    assert depth < 0.5, depth
    stats = samples[0].metainfo['physical_fit']
    assert stats["penetration_mm_before"] > 4.9 and stats['penetration_mm_after'] < 0.5


def test_a_hand_1cm_away_is_pulled_into_contact_only_by_the_contact_term(scene):
    mano, bank = scene
    fields, samples, K = _fields(mano, bank, 0.010)
    assert _depth_and_gap(bank, fields)[1] == pytest.approx(10.0, abs=0.1)
    apart = HandObjectFitter(steps=60, w_contact=0.0)(fields, mano, bank, samples, K)
    assert _depth_and_gap(bank, apart)[1] > 9.0
    fitter = HandObjectFitter(steps=60)
    touching = fitter(fields, mano, bank, samples, K)
    depth, gap = _depth_and_gap(bank, touching)
    assert gap < fitter.contact_gap * 1e3 + 0.5 and depth < 1.0, (gap, depth)


def test_a_hand_2cm_inside_ends_on_the_surface_not_clear_of_it(scene):
    """A deep penetration's large early gradients must not keep the contact term from
    pulling the hand back once it is out (Adam's second moment has to forget them)."""
    mano, bank = scene
    fields, samples, K = _fields(mano, bank, -0.020)
    assert _depth_and_gap(bank, fields)[0] == pytest.approx(20.0, abs=0.5)
    fitter = HandObjectFitter()
    depth, gap = _depth_and_gap(bank, fitter(fields, mano, bank, samples, K))
    assert depth < 0.5 and gap < fitter.contact_gap * 1e3 + 1.0, (depth, gap)


def test_an_object_sunk_through_the_palm_comes_out(scene):
    """The box's centre on the palm's centre: hand vertices inside it on both faces of the
    palm push it opposite ways, so descent from the prediction alone stays stuck; the
    lowest-energy start among the offset translations frees it."""
    mano, bank = scene
    fields, samples, K = _fields(mano, bank, -0.005)
    rest = bank.library['box'].vertices
    centre = torch.as_tensor((rest.min(0) + rest.max(0)) / 2).float()
    R = torch.tensor([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])
    hand = fields['verts_3d'][0]
    from hoverse.models.fitters import contact_regions
    palm = hand[contact_regions(mano)[-1]].mean(0)
    fields = dict(fields, obj_rot=R[None], obj_trans_rel=(palm - R @ centre)[None])
    assert _depth_and_gap(bank, fields)[0] > 15.0
    stuck = HandObjectFitter(start_distances=())(fields, mano, bank, samples, K)
    assert _depth_and_gap(bank, stuck)[0] > 10.0
    freed = HandObjectFitter()(fields, mano, bank, samples, K)
    assert _depth_and_gap(bank, freed)[0] < 0.5


def test_start_offsets_cover_every_direction_at_each_distance():
    from hoverse.models.fitters.hand_object_fitter import start_offsets
    off = start_offsets((0.01, 0.03), torch.device('cpu'))
    assert off.shape == (29, 3) and torch.equal(off[0], torch.zeros(3))
    norms = off[1:].norm(dim=1)
    assert torch.allclose(norms[:14], torch.full((14, ), 0.01))
    assert torch.allclose(norms[14:], torch.full((14, ), 0.03))
    assert torch.allclose(off[1:15].sum(0), torch.zeros(3), atol=1e-7)  # opposite pairs
    assert len({tuple(d.tolist()) for d in off[1:15] / 0.01}) == 14


def test_zero_steps_and_no_template_give_back_the_input(scene):
    mano, bank = scene
    fields, samples, K = _fields(mano, bank, -0.005)
    out = HandObjectFitter(steps=0)(fields, mano, bank, samples, K)
    for k, v in fields.items():
        assert torch.equal(out[k], v), k
    unnamed = [HandObjectDataSample(metainfo=dict(obj_name='teapot'))]
    out = HandObjectFitter(steps=5)(fields, mano, bank, unnamed, K)
    assert all(torch.equal(out[k], v) for k, v in fields.items())
    frozen = HandObjectFitter(steps=5, fit=('obj_trans', ))(fields, mano, bank, samples, K)
    assert torch.equal(frozen['mano_rot6d'], fields['mano_rot6d'])
    assert not torch.equal(frozen['obj_trans_rel'], fields['obj_trans_rel'])
    with pytest.raises(ValueError, match='fit must name'):
        HandObjectFitter(fit=('hand_scale', ))


def test_no_network_parameter_gets_a_gradient(r18_checkpoint, synthetic_root):
    """Inside a model's predict (under no_grad, as the Runner runs it), with a physical fit
    in its test config: the fit moves the prediction and no parameter sees a gradient."""
    import os.path as osp

    from hoverse.apis import inference_model, init_model
    from hoverse.models.fitters import build_physical_fit
    from tests.conftest import REPO
    model = init_model(osp.join(REPO, 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'),
                       r18_checkpoint['path'], cfg_options=r18_checkpoint['options'])
    img = sorted(__import__('glob').glob(osp.join(synthetic_root, 'train', '*', 'rgb',
                                                  '*.png')))[0]
    plain = inference_model(model, img, bbox=(60, 60, 200, 200), object_name='box')
    model.physical_fit = build_physical_fit(dict(type='HandObjectFitter', steps=10))
    fitted = inference_model(model, img, bbox=(60, 60, 200, 200), object_name='box')
    assert all(p.grad is None for p in model.parameters())
    assert 'physical_fit' in fitted.metainfo
    assert not torch.equal(plain.pred_instances.verts_cam, fitted.pred_instances.verts_cam)
