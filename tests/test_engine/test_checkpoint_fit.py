import pytest
import torch

from hoverse.engine import CheckpointMismatchError, check_checkpoint_fits, checkpoint_mismatch


def _net(width=4):
    return torch.nn.Sequential(torch.nn.Linear(3, width), torch.nn.Linear(width, 2))


def test_a_fitting_checkpoint_passes_also_with_a_ddp_prefix():
    net = _net()
    check_checkpoint_fits(net, net.state_dict(), 'a.pth')
    check_checkpoint_fits(net, {f'module.{k}': v for k, v in net.state_dict().items()}, 'a.pth')


def test_a_mismatch_is_summarised_with_counts_and_first_keys():
    state = _net(width=5).state_dict()
    state['extra.weight'] = torch.zeros(1)
    del state['1.bias']
    diff = checkpoint_mismatch(_net(), state)
    assert diff['missing'] == ['1.bias'] and diff['unexpected'] == ['extra.weight']
    assert len(diff['wrong_shape']) == 3  # 0.weight, 0.bias, 1.weight
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(_net(), state, 'r18.pth', 'configs/r50.py')
    msg = str(err.value)
    assert "'r18.pth'" in msg and "'configs/r50.py'" in msg
    assert '1 missing' in msg and '1 unexpected' in msg and '3 wrong-shape' in msg
    assert '0.weight: checkpoint (5, 3) vs model (4, 3)' in msg
    assert msg.count('\n') == 0  # one line, not a state-dict dump
