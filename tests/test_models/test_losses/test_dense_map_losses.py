import math

import pytest
import torch

from hoverse.models.losses import MapBCELoss, MaskedMapL1Loss


def test_masked_l1_averages_only_the_weighted_cells():
    pred = torch.zeros(1, 3, 2, 2, requires_grad=True)
    target = torch.ones(1, 3, 2, 2)
    target[0, :, 1, 1] = 5.0  # an unweighted cell must not count
    weight = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    loss = MaskedMapL1Loss(loss_weight=2.0)(pred, target, weight)
    torch.testing.assert_close(loss, torch.tensor(2.0))
    loss.backward()
    assert pred.grad[0, :, 1].abs().sum() == 0 and pred.grad[0, :, 0].abs().sum() > 0
    assert MaskedMapL1Loss()(pred, target, torch.zeros(1, 2, 2)) == 0


def test_map_bce_known_value_and_shapes():
    loss = MapBCELoss(loss_weight=0.5)(torch.zeros(2, 1, 3, 3), torch.ones(2, 3, 3))
    torch.testing.assert_close(loss, torch.tensor(0.5 * math.log(2.0)))
    with pytest.raises(ValueError, match='logits'):
        MapBCELoss()(torch.zeros(2, 2, 3, 3), torch.ones(2, 3, 3))
    with pytest.raises(ValueError, match='weight'):
        MaskedMapL1Loss()(torch.zeros(1, 3, 2, 2), torch.zeros(1, 3, 2, 2), torch.ones(1, 3, 3))
