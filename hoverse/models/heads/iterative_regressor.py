"""HMR-style iterative parameter regression."""
import torch
import torch.nn as nn


class IterativeRegressor(nn.Module):
    """``params_{t+1} = params_t + MLP([feat, params_t])`` for ``num_iters`` steps.

    ``forward(feat (B, F)) -> (B, P)`` starting from the buffer ``init (P,)``. The last
    layer starts small (Xavier, gain ``out_gain``), not zero: outputs start next to ``init``
    and gradients still reach the features from the first step.
    """

    def __init__(self, feat_dim: int, init: torch.Tensor, hidden: int = 512,
                 num_iters: int = 3, dropout: float = 0.0,
                 out_gain: float = 0.01) -> None:
        super().__init__()
        self.register_buffer('init', init.clone().float())
        p = init.numel()
        self.mlp = nn.Sequential(nn.Linear(feat_dim + p, hidden), nn.ReLU(inplace=True),
                                 nn.Dropout(dropout), nn.Linear(hidden, hidden),
                                 nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, p))
        nn.init.xavier_uniform_(self.mlp[-1].weight, gain=out_gain)
        nn.init.zeros_(self.mlp[-1].bias)
        self.num_iters = num_iters

    def forward(self, feat: torch.Tensor) -> torch.Tensor:
        params = self.init.expand(feat.shape[0], -1)
        for _ in range(self.num_iters):
            params = params + self.mlp(torch.cat([feat, params], -1))
        return params
