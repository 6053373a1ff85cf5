import pytest
import torch

from hoverse.models.heads.base_head import kpt_layout


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
