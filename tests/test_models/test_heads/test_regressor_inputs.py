import pytest
import torch

from hoverse.models.heads.regressor_inputs import centred_grid_features, kpt_layout


def test_layout_is_relative_to_the_origin_and_of_unit_extent():
    kpts = torch.tensor([[[10.0, 20.0], [14.0, 20.0], [10.0, 12.0]]])
    out = kpt_layout({'k': kpts}, 'k', 0, 'Head').view(1, 3, 2)
    torch.testing.assert_close(out, torch.tensor([[[0.0, 0.0], [0.5, 0.0], [0.0, -1.0]]]))
    # about another origin: offsets (-4, 0), (-4, -8) from keypoint 1, largest 8
    out = kpt_layout({'k': kpts}, 'k', 1, 'Head').view(1, 3, 2)
    torch.testing.assert_close(out[0, 2], torch.tensor([-0.5, -1.0]))


def test_layout_ignores_where_and_how_large_the_keypoints_are():
    torch.manual_seed(0)
    kpts = torch.rand(4, 21, 2) * 100
    moved = kpts * torch.tensor([2.0, 0.5, 1.0, 3.0])[:, None, None] + torch.randn(4, 1, 2) * 30
    torch.testing.assert_close(kpt_layout({'k': moved}, 'k', 0, 'H'),
                               kpt_layout({'k': kpts}, 'k', 0, 'H'))
    bent = kpts.clone()
    bent[:, 8] += 5.0  # a fingertip moves: the layout changes
    assert not torch.allclose(kpt_layout({'k': bent}, 'k', 0, 'H'),
                              kpt_layout({'k': kpts}, 'k', 0, 'H'))


def test_layout_of_coincident_keypoints_stays_finite_and_has_gradients():
    kpts = torch.full((2, 5, 2), 64.0, requires_grad=True)
    out = kpt_layout({'k': kpts}, 'k', 0, 'H')
    assert torch.isfinite(out).all() and out.abs().max() == 0
    spread = (torch.rand(2, 5, 2) * 50).requires_grad_()
    kpt_layout({'k': spread}, 'k', 0, 'H')[:, 2:].sum().backward()
    assert torch.isfinite(spread.grad).all() and spread.grad.abs().sum() > 0


def test_missing_keypoints_are_named():
    with pytest.raises(KeyError, match='use_kpt_layout.*hand_kpts|hand_kpts.*use_kpt_layout'):
        kpt_layout({}, 'hand_kpts', 0, 'MANOHead')


def _index_map(size: int = 16) -> torch.Tensor:
    """(1, 2, size, size): channel 0 holds each cell's column, channel 1 its row."""
    rows, cols = torch.meshgrid(torch.arange(size).float(),
                                torch.arange(size).float(), indexing='ij')
    return torch.stack([cols, rows])[None]


def test_grid_features_read_the_cells_around_the_centre():
    # a 16x16 map over a 128-px crop: cell (row 4, col 8) is centred at pixel (68, 36);
    # extent 0.25 of the crop = 32 px = 4 cells wide, a 3x3 lattice every 2 cells
    out = centred_grid_features(_index_map(), torch.tensor([[68.0, 36.0]]), 128.0, 3, 0.25)
    out = out.view(2, 3, 3)
    torch.testing.assert_close(out[0], torch.tensor([[6.0, 8.0, 10.0]]).expand(3, 3))
    torch.testing.assert_close(out[1], torch.tensor([[2.0], [4.0], [6.0]]).expand(3, 3))


def test_grid_features_follow_the_centre_and_ignore_what_lies_outside():
    torch.manual_seed(0)
    feat = torch.randn(2, 4, 16, 16)
    centre = torch.tensor([[40.0, 40.0], [40.0, 40.0]])
    base = centred_grid_features(feat, centre, 128.0, 4, 0.3)
    assert base.shape == (2, 4 * 16)
    far = feat.clone()
    far[..., 12:, 12:] += 10.0  # pixels 96-128, outside the 38-px window around (40, 40)
    torch.testing.assert_close(centred_grid_features(far, centre, 128.0, 4, 0.3), base)
    # content and centre moved together by whole cells: the same features
    shifted = torch.roll(feat, shifts=(2, 3), dims=(2, 3))
    torch.testing.assert_close(
        centred_grid_features(shifted, centre + torch.tensor([24.0, 16.0]), 128.0, 4, 0.3), base)
    # lattice points off the crop read zeros
    corner = centred_grid_features(feat + 5.0, torch.zeros(2, 2), 128.0, 3, 0.5).view(2, 4, 3, 3)
    assert (corner[:, :, 0, :] == 0).all() and (corner[:, :, 1:, 1:] != 0).all()


def test_grid_features_pass_gradients_to_the_map_not_the_centre():
    feat = torch.randn(1, 3, 8, 8, requires_grad=True)
    centre = torch.tensor([[30.0, 34.0]], requires_grad=True)
    centred_grid_features(feat, centre, 64.0, 3, 0.4).sum().backward()
    assert feat.grad.abs().sum() > 0 and centre.grad is None
    with pytest.raises(ValueError, match=r'centre \(B, 2\)'):
        centred_grid_features(feat, centre[:, :1], 64.0, 3, 0.4)
