import pytest
import torch
from scipy.spatial.transform import Rotation

from hoverse.geometry.boxes import longest_box_axis
from hoverse.geometry.rotations import HALF_TURNS
from hoverse.geometry.rotations import axis_angle_to_matrix as about
from hoverse.geometry.rotations import geodesic_distance, matrix_to_axis_angle, nearest_half_turn
from hoverse.models.heads import ObjectPoseHead
from hoverse.models.heads.rotation_readouts import (PatchBlendReadout, PatchFlipReadout,
                                                    PatchSpinReadout, PnPFlipReadout,
                                                    PnPReadout, ReadoutContext, build_readout)
from hoverse.objects import TemplateBank
from hoverse.testing.samples import crop_camera


def _rot(seed):
    return torch.as_tensor(Rotation.random(random_state=seed).as_matrix(), dtype=torch.float32)


def _ctx(corners=None, known=True, spin_axes=None, codec=None):
    corners = torch.zeros(1, 8, 3) if corners is None else corners
    return ReadoutContext(cam_K=crop_camera(128.0)[None], corners=corners,
                          known=torch.tensor([known]), spin_axes=spin_axes, coord_codec=codec)


def _coord_head(**kw):
    return ObjectPoseHead(in_channels=8, kpt_channels=4, hidden=16, use_kpt_feats=False,
                          coord_map=dict(type='ObjectCoordinateMap', input_size=128,
                                         heatmap_size=32), coord_hidden=8, **kw)


def _box_seen_in_its_true_map(objects_dir, rot):
    """``(R_gt (3, 3), out, ctx)``: a box at a random rotation 0.4 m away, head outputs
    with its true coordinate map and mask and the regressed rotation ``rot(R_gt)``."""
    codec = _coord_head().coord_codec
    bank = TemplateBank(objects_dir, 256, 8192)
    tb = bank.batch(['box'], torch.device('cpu'))
    R_gt = _rot(3)
    coords, weight, _ = codec.encode(tb['dense_samples'], tb['corners'], R_gt[None],
                                     torch.tensor([[0.0, 0.0, 0.4]]), crop_camera(128.0)[None])
    out = dict(rot=rot(R_gt)[None], trans_rel=torch.zeros(1, 3), coords=coords,
               coord_mask_logits=(weight * 20 - 10)[:, None])
    return R_gt, out, _ctx(tb['corners'], codec=codec)


def test_rotation_read_from_the_coordinate_map(objects_dir):
    R_gt, out, ctx = _box_seen_in_its_true_map(objects_dir, lambda R: torch.eye(3))
    rot, extra = PnPReadout()(out, ctx)
    assert extra['obj_rot_solved'].tolist() == [True]
    assert float(geodesic_distance(rot, R_gt[None])) < 0.1
    # an unknown object (no box to solve against) keeps the regressed rotation
    ctx.known = torch.tensor([False])
    rot, extra = PnPReadout()(out, ctx)
    assert torch.equal(rot, out['rot']) and extra['obj_rot_solved'].tolist() == [False]


def test_regressed_rotation_turned_the_way_the_map_says(objects_dir):
    # the regression found the axes to 10 degrees but holds the box upside down
    tilt = about(torch.tensor([0.0, 0.0, 0.1745]))
    R_gt, out, ctx = _box_seen_in_its_true_map(objects_dir, lambda R: R @ HALF_TURNS[2] @ tilt)
    R_reg = out['rot'][0]
    rot, extra = PnPFlipReadout()(out, ctx)
    assert extra['obj_rot_solved'].tolist() == [True]
    # turned, not replaced: the regressed axes' 10 degrees stay, the half turn goes
    torch.testing.assert_close(rot, (R_reg @ HALF_TURNS[2])[None])
    assert abs(float(geodesic_distance(rot, R_gt[None])) - 0.1745) < 1e-3
    # where the map shows nothing, PnP falls back to the regression, which stays unturned
    unseen = dict(out, coord_mask_logits=torch.full_like(out['coord_mask_logits'], -10.0))
    rot, extra = PnPFlipReadout()(unseen, ctx)
    assert extra['obj_rot_solved'].tolist() == [False] and torch.equal(rot, out['rot'])


def test_regressed_rotation_turned_the_way_the_learnt_pnp_says():
    R_gt = _rot(3)
    tilt = about(torch.tensor([0.0, 0.0, 0.1745]))
    # the regression holds the object upside down; the learnt PnP is 30 degrees off but
    # the right way round
    R_reg = R_gt @ HALF_TURNS[2] @ tilt
    R_patch = R_gt @ about(torch.tensor([0.5, 0.0, 0.0]))
    out = dict(rot=R_reg[None], patch_rot=R_patch[None])
    torch.testing.assert_close(PatchFlipReadout()(out, _ctx())[0], (R_reg @ HALF_TURNS[2])[None])
    out = dict(out, rot=(R_gt @ tilt)[None])  # already the right way round: kept
    torch.testing.assert_close(PatchFlipReadout()(out, _ctx())[0], out['rot'])


def _bottle_sides(objects_dir, seed: int):
    """The bottle's box ``corners (1, 8, 3)``, its longest side and a side across it
    (``(3,)`` each, model frame) and a random true rotation ``(3, 3)``."""
    corners = TemplateBank(objects_dir, 256).batch(['bottle'], torch.device('cpu'))['corners']
    longest = int((corners[0].amax(0) - corners[0].amin(0)).argmax())
    return corners, torch.eye(3)[longest], torch.eye(3)[(longest + 1) % 3], _rot(seed)


def test_regressed_axis_with_the_learnt_pnps_spin(objects_dir):
    corners, long_side, across, R_gt = _bottle_sides(objects_dir, seed=6)
    # the regression: the long side 5 degrees off, spun 40 degrees, upside down; the learnt
    # PnP: the long side 25 degrees off, spun 3 degrees, the right way round
    R_reg = R_gt @ about(across * 0.087) @ about(long_side * 0.7) @ HALF_TURNS[2]
    R_patch = R_gt @ about(across * 0.44) @ about(long_side * 0.05)
    out = dict(rot=R_reg[None], patch_rot=R_patch[None])
    R = PatchSpinReadout()(out, _ctx(corners, spin_axes=long_side[None]))[0][0]
    # the long side where the (flipped) regression puts it, the spin about it the learnt PnP's
    torch.testing.assert_close(R @ long_side, (R_reg @ HALF_TURNS[2]) @ long_side)
    err = float(geodesic_distance(R, R_gt))
    assert err < 0.087 + 0.05 + 0.02 < float(geodesic_distance(R_patch, R_gt)), err
    assert err < float(geodesic_distance(nearest_half_turn(R_reg[None], R_patch[None])[0],
                                         R_gt))
    # an unknown object keeps the regressed rotation
    kept = PatchSpinReadout()(out, _ctx(corners, known=False, spin_axes=long_side[None]))[0]
    torch.testing.assert_close(kept, out['rot'])


def test_blended_axis_with_the_learnt_pnps_spin(objects_dir):
    """``patch_blend`` puts the long side where the geodesic midpoint of the (flipped)
    regression and the learnt PnP puts it, and keeps the learnt PnP's spin about it;
    ``blend_weight`` 0 gives ``patch_spin`` and 1 the learnt PnP's own rotation."""
    assert build_readout('patch_blend').blend_weight == 0.25
    readout = build_readout(dict(type='PatchBlendReadout', blend_weight=0.5))
    assert readout.uses_spin_axes and readout.needs_box
    corners, long_side, across, R_gt = _bottle_sides(objects_dir, seed=8)
    R_reg = R_gt @ about(across * 0.3) @ about(long_side * 0.7) @ HALF_TURNS[2]
    R_patch = R_gt @ about(across * -0.2) @ about(long_side * 0.05)
    out = dict(rot=R_reg[None], patch_rot=R_patch[None])
    ctx = _ctx(corners, spin_axes=long_side[None])
    R = readout(out, ctx)[0][0]
    flipped = R_reg @ HALF_TURNS[2]
    midpoint = flipped @ about(0.5 * matrix_to_axis_angle(flipped.T @ R_patch))
    torch.testing.assert_close(R @ long_side, midpoint @ long_side, atol=1e-5, rtol=0)
    # the learnt PnP's spin: R is R_patch turned about an axis at right angles to its long side
    turn = matrix_to_axis_angle(R @ R_patch.T)
    assert abs(float(turn / turn.norm() @ (R_patch @ long_side))) < 1e-4
    assert float(turn.norm()) > 0.1  # the axis did move
    torch.testing.assert_close(PatchBlendReadout(0.0)(out, ctx)[0],
                               PatchSpinReadout()(out, ctx)[0])
    torch.testing.assert_close(PatchBlendReadout(1.0)(out, ctx)[0], R_patch[None], atol=1e-5,
                               rtol=0)
    with pytest.raises(ValueError, match='blend_weight.*in \\[0, 1\\]'):
        PatchBlendReadout(1.5)
    assert not build_readout('patch').uses_spin_axes


def test_spin_about_a_continuous_symmetry_axis_keeps_the_regressed_axis(objects_dir):
    """A bowl's longest side is a diameter of its rim: a spin about it would move the
    bowl's axis away from the regressed one. About its symmetry axis (the templates'
    spin axis for a bowl) the spin leaves the symmetry-aware error of the flipped
    regression as it is."""
    from hoverse.evaluation.functional.object_errors import symmetric_rotation_error
    bank = TemplateBank(objects_dir, 256)
    corners = bank.batch(['bowl'], torch.device('cpu'))['corners']
    sym_axis = torch.as_tensor(bank.spin_axis('bowl'), dtype=torch.float32)
    rim = longest_box_axis(corners)[0]
    assert not torch.allclose(rim.abs(), sym_axis.abs())
    R_gt = _rot(2)
    R_reg = R_gt @ about(torch.tensor([0.1, 0.05, 0.0]))
    R_patch = R_gt @ about(torch.tensor([0.0, 0.5, 0.3]))
    out = dict(rot=R_reg[None], patch_rot=R_patch[None])
    symmetry = bank.library['bowl'].symmetry

    def degrees(R: torch.Tensor) -> float:
        return symmetric_rotation_error(R[0].double().numpy(), R_gt.double().numpy(), symmetry)

    flipped = nearest_half_turn(R_reg[None], R_patch[None])
    about_axis = PatchSpinReadout()(out, _ctx(corners, spin_axes=sym_axis[None]))[0]
    assert degrees(about_axis) == pytest.approx(degrees(flipped), abs=1e-2)
    # about the rim's diameter the bowl's axis leaves where the regression put it
    R = PatchSpinReadout()(out, _ctx(corners, spin_axes=rim[None]))[0]
    assert float((R[0] @ sym_axis) @ (flipped[0] @ sym_axis)) < 0.995


def test_a_readout_needs_its_branch_and_a_known_name():
    with pytest.raises(ValueError, match='patch_pnp.*coord_map'):
        ObjectPoseHead(in_channels=8, patch_pnp=dict(type='PatchPnP'))
    for readout in ('pnp', 'pnp_flip'):
        with pytest.raises(ValueError, match=f"'{readout}'.*coord_map"):
            ObjectPoseHead(in_channels=8, rot_readout=readout)
    for readout in ('patch', 'patch_flip', 'patch_spin', 'patch_blend'):
        with pytest.raises(ValueError, match=f"'{readout}'.*patch_pnp"):
            _coord_head(rot_readout=readout)
    with pytest.raises(ValueError, match='rot_readout must be one of'):
        _coord_head(rot_readout='average')
    with pytest.raises(TypeError, match='not a RotationReadout'):
        build_readout(dict(type='NearestSymmetricPose'))
    head = _coord_head(rot_readout=dict(type='PnPFlipReadout'))
    assert head.readout.name == 'pnp_flip'
