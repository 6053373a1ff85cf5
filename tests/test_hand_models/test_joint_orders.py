import numpy as np
import pytest

from hoverse.hand_models import joint_orders as jo


@pytest.mark.parametrize('name', ['HO3D', 'OPENPOSE', 'DEXYCB'])
def test_maps_are_permutations_that_round_trip(name):
    fwd = getattr(jo, f'{name}_FROM_CANONICAL')
    inv = getattr(jo, f'CANONICAL_FROM_{name}')
    assert sorted(fwd) == list(range(21)) and sorted(inv) == list(range(21))
    x = np.random.RandomState(0).randn(21, 3)
    np.testing.assert_array_equal(x[list(fwd)][list(inv)], x)


def test_openpose_order_groups_fingers_from_base_to_tip():
    names = [jo.CANONICAL_JOINT_NAMES[i] for i in jo.OPENPOSE_FROM_CANONICAL]
    assert names[:5] == ['wrist', 'thumb1', 'thumb2', 'thumb3', 'thumb_tip']
    assert names[17:] == ['little1', 'little2', 'little3', 'little_tip']


def test_skeleton_is_a_tree_rooted_at_the_wrist():
    assert len(jo.CANONICAL_SKELETON) == 20
    for j in range(1, 21):  # every joint reaches the wrist
        k, steps = j, 0
        while k != 0:
            k, steps = jo.CANONICAL_PARENTS[k], steps + 1
        assert steps <= 4
    assert len(jo.OBJECT_BOX_EDGES) == 12
