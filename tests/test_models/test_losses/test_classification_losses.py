import math

import pytest
import torch

from hoverse.models.losses import ObjectClassCELoss


def test_known_values_and_weight():
    logits = torch.tensor([[0.0, 0.0], [math.log(3.0), 0.0]])  # p(0) = 1/2, 3/4
    labels = torch.tensor([0, 0])
    expected = -(math.log(0.5) + math.log(0.75)) / 2
    assert ObjectClassCELoss()(logits, labels).item() == pytest.approx(expected, rel=1e-6)
    assert ObjectClassCELoss(loss_weight=0.1)(logits, labels).item() == pytest.approx(
        0.1 * expected, rel=1e-6)
    # an unlabelled sample (-1) leaves the mean
    assert ObjectClassCELoss()(logits, torch.tensor([0, -1])).item() == pytest.approx(
        -math.log(0.5), rel=1e-6)
