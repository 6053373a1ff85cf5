from types import SimpleNamespace

import pytest
import torch

from hoverse.engine.hooks import NaNGuardHook, NonFiniteLossError


def test_nan_loss_stops_with_iteration_and_term():
    hook = NaNGuardHook()
    runner = SimpleNamespace(iter=41, epoch=2)
    hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.0),
                                                  loss_joints=torch.tensor(0.5)))
    with pytest.raises(NonFiniteLossError, match=r'iteration 42.*loss_sdf=nan'):
        hook.after_train_iter(runner, 0, outputs=dict(loss=torch.tensor(1.0),
                                                      loss_sdf=torch.tensor(float('nan'))))
