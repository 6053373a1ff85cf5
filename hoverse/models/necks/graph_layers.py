"""Graph convolutions over keypoint features."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn


def normalized_adjacency(num_nodes: int, edges: Sequence[Tuple[int, int]]) -> torch.Tensor:
    """Symmetric ``D^-1/2 (A + I) D^-1/2`` of an undirected graph, ``(N, N)``."""
    A = torch.eye(num_nodes)
    for a, b in edges:
        A[a, b] = A[b, a] = 1.0
    d = A.sum(1).rsqrt()
    return d[:, None] * A * d[None]


class TopologyGCN(nn.Module):
    """Residual graph convolutions on a fixed skeleton: ``X + relu(LN(A X W))`` per layer.

    ``forward(x (B, N, C)) -> (B, N, C)``.
    """

    def __init__(self, channels: int, edges: Sequence[Tuple[int, int]], num_nodes: int,
                 num_layers: int = 2) -> None:
        super().__init__()
        self.register_buffer('adj', normalized_adjacency(num_nodes, edges), persistent=False)
        self.layers = nn.ModuleList(nn.Linear(channels, channels) for _ in range(num_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(channels) for _ in range(num_layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for lin, norm in zip(self.layers, self.norms):
            x = x + torch.relu(norm(self.adj @ lin(x)))
        return x


class ContactGCN(nn.Module):
    """Message passing between hand and object keypoints that are near each other.

    The soft adjacency ``A[i, j] = softmax_j(q_i . k_j / sqrt(C) - lambda * |p_i - p_j|^2)``
    is learned from the features and penalised by 2D distance (``p`` in crop-normalised
    units, ``lambda`` learned, positive); both directions are used.

    ``forward(hand (B, Nh, C), obj (B, No, C), p_hand (B, Nh, 2), p_obj (B, No, 2))``
    returns the updated ``(hand, obj)`` and the hand->object adjacency ``(B, Nh, No)``.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.q = nn.Linear(channels, channels)
        self.k = nn.Linear(channels, channels)
        self.v = nn.Linear(channels, channels)
        self.out_h = nn.Linear(channels, channels)
        self.out_o = nn.Linear(channels, channels)
        self.log_lambda = nn.Parameter(torch.tensor(2.0))
        self.norm_h = nn.LayerNorm(channels)
        self.norm_o = nn.LayerNorm(channels)
        self.scale = channels**-0.5

    def forward(self, hand: torch.Tensor, obj: torch.Tensor, p_hand: torch.Tensor,
                p_obj: torch.Tensor):
        d2 = ((p_hand[:, :, None] - p_obj[:, None])**2).sum(-1)  # (B, Nh, No)
        lam = self.log_lambda.exp()
        logits = (self.q(hand) @ self.k(obj).transpose(1, 2)) * self.scale - lam * d2
        logits_t = (self.q(obj) @ self.k(hand).transpose(1, 2)) * self.scale \
            - lam * d2.transpose(1, 2)
        a_ho = logits.softmax(-1)
        a_oh = logits_t.softmax(-1)
        hand = hand + torch.relu(self.norm_h(self.out_h(a_ho @ self.v(obj))))
        obj = obj + torch.relu(self.norm_o(self.out_o(a_oh @ self.v(hand))))
        return hand, obj, a_ho
