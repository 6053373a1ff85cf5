import numpy as np
import pytest

from hoverse.detectors import HandObjectBoxPrior, hand_object_box
from hoverse.detectors.box_expansion import required_box


def test_square_box_of_the_prior():
    box = hand_object_box([100, 100, 140, 120], (480, 640),
                          HandObjectBoxPrior(scale=2.0, offset=(0.0, 0.25)))
    # side 2 x 40, centre (120, 110 + 10)
    np.testing.assert_allclose(box, [80, 80, 160, 160])


def test_kept_inside_the_image_by_shifting_and_clipped_when_too_large():
    box = hand_object_box([0, 0, 40, 40], (480, 640), HandObjectBoxPrior(scale=2.0))
    np.testing.assert_allclose(box, [0, 0, 80, 80])  # shifted, same size
    big = hand_object_box([10, 10, 90, 90], (100, 300), HandObjectBoxPrior(scale=2.0))
    assert big[1] == 0 and big[3] == 100 and big[2] - big[0] == pytest.approx(160)


def test_required_box_inverts_the_prior():
    hand = np.array([100.0, 100, 140, 120])
    prior = HandObjectBoxPrior(scale=1.5, offset=(0.0, 0.0))
    ho = hand_object_box(hand, (480, 640), prior)
    side, offset = required_box(hand, ho)
    assert side == pytest.approx(1.5)
    np.testing.assert_allclose(offset, [0, 0], atol=1e-9)
