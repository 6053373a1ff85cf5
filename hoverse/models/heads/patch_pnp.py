"""A learnt PnP: the object's rotation regressed from its predicted coordinate map."""
from typing import Optional

import torch
import torch.nn as nn

from hoverse.registry import MODELS

from .regressor_inputs import centred_grid_features


@MODELS.register_module()
class PatchPnP(nn.Module):
    """Regresses the object's rotation (camera frame, 6D) from the dense correspondences of
    a coordinate map, as GDR-Net's Patch-PnP (Wang et al., CVPR 2021) does: the map, its
    visibility and each cell's position in the crop go through strided convolutions and a
    fully connected layer, so that the solve is learnt (and trained end to end) where a
    RANSAC PnP on a coarse, noisy map is not.

    ``forward(coords (B, 3, S, S), mask_logits (B, 1, S, S), centre (B, 2), input_size)
    -> rot6d (B, 6)``. ``coords`` are normalised model coordinates over the crop
    (``ObjectCoordinateMap``), ``centre`` the object's centre in crop pixels (D-BFAM's
    object centre; not back-propagated into). The maps are read on a ``grid x grid``
    lattice ``extent`` of the crop wide around ``centre`` (:func:`centred_grid_features`),
    so the layout the convolutions see does not depend on where the object lies in the
    crop; the lattice's crop positions, in [-1, 1], are two more input channels, since the
    perspective does. The last layer starts at zero with the identity as its bias: the
    first prediction is the identity rotation.

    With ``residual`` the network refines a rotation instead of regressing one: ``forward``
    also takes ``rot_init (B, 3, 3)`` (the head's regressed rotation, camera frame, not
    back-propagated into), whose nine entries join the fully connected layer's input, and
    the 6D it returns is the correction ``dR`` in ``rot_init @ dR``, so that training starts
    from the regressed rotation and the map only has to say what is wrong with it (a flip,
    the spin about a long axis). With ``detach_maps`` its loss does not reach the map and
    mask, so that they stay what their own losses make them, a coordinate map (trained
    through, the map becomes whatever the network reads best; docs/benchmarks.md).
    """

    IN_CHANNELS = 6  # coordinates x visibility (3), visibility, crop position (2)

    def __init__(self, grid: int = 16, extent: float = 0.75, hidden: int = 128,
                 residual: bool = False, detach_maps: bool = False) -> None:
        super().__init__()
        if grid < 4 or grid % 4 or not 0.0 < extent <= 2.0:
            raise ValueError(f'PatchPnP: grid must be a positive multiple of 4 and extent in '
                             f'(0, 2] (a fraction of the crop); got {grid}, {extent}')
        self.grid, self.extent, self.residual = grid, extent, residual
        self.detach_maps = detach_maps

        def block(cin: int, cout: int, stride: int) -> list:
            return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
                    nn.GroupNorm(min(32, cout // 4), cout), nn.ReLU(inplace=True)]

        self.convs = nn.Sequential(*block(self.IN_CHANNELS, hidden // 2, 2),
                                   *block(hidden // 2, hidden, 2),
                                   *block(hidden, hidden, 1))
        self.fc = nn.Sequential(nn.Linear(hidden * (grid // 4) ** 2 + 9 * residual, 2 * hidden),
                                nn.ReLU(inplace=True), nn.Linear(2 * hidden, 6))
        nn.init.zeros_(self.fc[-1].weight)
        with torch.no_grad():
            self.fc[-1].bias.copy_(torch.tensor([1.0, 0, 0, 0, 1.0, 0]))

    def forward(self, coords: torch.Tensor, mask_logits: torch.Tensor, centre: torch.Tensor,
                input_size: float, rot_init: Optional[torch.Tensor] = None) -> torch.Tensor:
        B, S = coords.shape[0], coords.shape[-1]
        if coords.shape[1:] != (3, S, S) or mask_logits.shape != (B, 1, S, S) \
                or centre.shape != (B, 2):
            raise ValueError(f'PatchPnP expects coords (B, 3, S, S), mask_logits (B, 1, S, S) '
                             f'and centre (B, 2); got {tuple(coords.shape)}, '
                             f'{tuple(mask_logits.shape)} and {tuple(centre.shape)}')
        if self.residual and (rot_init is None or rot_init.shape != (B, 3, 3)):
            raise ValueError(f'PatchPnP(residual=True) refines rot_init (B, 3, 3) = '
                             f'({B}, 3, 3); got '
                             f'{None if rot_init is None else tuple(rot_init.shape)}')
        if self.detach_maps:
            coords, mask_logits = coords.detach(), mask_logits.detach()
        vis = torch.sigmoid(mask_logits)
        # each cell's centre in [-1, 1] over the crop, x first
        pos = (torch.arange(S, device=coords.device, dtype=coords.dtype) + 0.5) / S * 2 - 1
        gy, gx = torch.meshgrid(pos, pos, indexing='ij')
        xy = torch.stack([gx, gy])[None].expand(B, -1, -1, -1)
        maps = torch.cat([coords * vis, vis, xy], 1)
        g = self.grid
        window = centred_grid_features(maps, centre, input_size, g, self.extent)
        x = self.convs(window.view(B, self.IN_CHANNELS, g, g)).flatten(1)
        if self.residual:
            x = torch.cat([x, rot_init.detach().flatten(1).to(x.dtype)], 1)
        return self.fc(x)
