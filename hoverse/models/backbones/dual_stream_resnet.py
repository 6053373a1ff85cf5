"""MCS-ResNet: a shared stem, then separate hand and object residual streams."""
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from hoverse.registry import MODELS

from .pretrained import resolve_pretrained
from .resnet_blocks import ARCH, make_layer

STREAMS = ('hand', 'object')


class _Stream(nn.Module):
    """Stages ``split_stage..4`` of one stream and a top-down fusion to stride 8."""

    def __init__(self, block: type, blocks: Sequence[int], split_stage: int, inplanes: int,
                 stage_channels: List[int], out_channels: int) -> None:
        super().__init__()
        self.split_stage = split_stage
        for s in range(split_stage, 5):
            layer = make_layer(block, inplanes, 64 * 2**(s - 1), blocks[s - 1],
                               1 if s == 1 else 2)
            self.add_module(f'layer{s}', layer)
            inplanes = 64 * 2**(s - 1) * block.expansion
        # lateral 1x1 convs for strides 8, 16, 32 (stages 2, 3, 4)
        self.lateral = nn.ModuleList(nn.Conv2d(stage_channels[s - 1], out_channels, 1)
                                     for s in (2, 3, 4))
        self.smooth = nn.Sequential(nn.Conv2d(out_channels, out_channels, 3, padding=1),
                                    nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))

    def forward(self, shared: Dict[int, torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(fused stride-8 map, stage 1's stride-4 map)``."""
        feats = dict(shared)
        x = feats[self.split_stage - 1]
        for s in range(self.split_stage, 5):
            x = getattr(self, f'layer{s}')(x)
            feats[s] = x
        p = self.lateral[2](feats[4])
        for i, s in ((1, 3), (0, 2)):
            lat = self.lateral[i](feats[s])
            p = lat + F.interpolate(p, size=lat.shape[-2:], mode='nearest')
        return self.smooth(p), feats[1]


@MODELS.register_module()
class DualStreamResNet(BaseModule):
    """MCS-ResNet ("multi-channel separated"): hand and object do not share late features.

    The stem and stages ``1 .. split_stage-1`` are shared; stages ``split_stage .. 4`` exist
    once per stream. Each stream fuses its stride-8/16/32 outputs top-down (FPN-style) into
    one stride-8 map.

    Args:
        depth: 18, 34, 50 or 101.
        split_stage: first stage that is duplicated (1-4).
        out_channels: channels of each stream's fused map.
        shared_streams: ablation: one stream serves both branches (identical features).
        fine_features: also return each stream's stride-4 map (stage 1's output, shared by
            both streams when ``split_stage > 1``; ``fine_channels`` channels) as
            ``hand_fine`` / ``object_fine``, for D-BFAM's ``fine_channels`` skip.
        frozen_stages: -1 trains everything; 0 freezes the stem (no gradients, BatchNorm
            in eval mode); k in 1-4 also stages 1..k, in every stream past the split.
        init_cfg: ``dict(type='Pretrained', checkpoint=PATH or 'torchvision://resnetXX')``
            loads ImageNet weights (torchvision key names) into the stem and both streams
            (downloaded through torch hub when missing; an error when they cannot be);
            ``None`` starts from random weights.

    Returns from ``forward(x (B, 3, H, W))``: ``{'hand': (B, C, H/8, W/8), 'object': ...}``
    and, with ``fine_features``, ``hand_fine`` / ``object_fine`` ``(B, fine_channels, H/4,
    W/4)``.
    """

    def __init__(self, depth: int = 50, split_stage: int = 2, out_channels: int = 256,
                 shared_streams: bool = False, frozen_stages: int = -1,
                 fine_features: bool = False, init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=None)
        if depth not in ARCH:
            raise ValueError(f'DualStreamResNet depth must be one of {sorted(ARCH)}, got {depth}')
        if not 1 <= split_stage <= 4:
            raise ValueError(f'split_stage must be 1-4, got {split_stage}')
        if not -1 <= frozen_stages <= 4:
            raise ValueError(f'frozen_stages must be -1 (none), 0 (stem) or 1-4, got '
                             f'{frozen_stages}')
        self.depth, self.split_stage = depth, split_stage
        self.pretrained_cfg = init_cfg
        self.frozen_stages = frozen_stages
        block, blocks = ARCH[depth]
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        stage_channels = [64 * 2**i * block.expansion for i in range(4)]
        inplanes = 64
        for s in range(1, split_stage):
            self.add_module(f'layer{s}', make_layer(block, inplanes, 64 * 2**(s - 1),
                                                    blocks[s - 1], 1 if s == 1 else 2))
            inplanes = stage_channels[s - 1]
        n_streams = 1 if shared_streams else 2
        self.streams = nn.ModuleList(
            _Stream(block, blocks, split_stage, inplanes, stage_channels, out_channels)
            for _ in range(n_streams))
        self.shared_streams = shared_streams
        self.out_channels = out_channels
        self.fine_features = fine_features
        self.fine_channels = stage_channels[0]
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        shared = {0: x}
        for s in range(1, self.split_stage):
            x = getattr(self, f'layer{s}')(x)
            shared[s] = x
        if self.shared_streams:  # one stream: the same maps for both branches
            maps = dict.fromkeys(STREAMS, self.streams[0](shared))
        else:
            maps = {name: stream(shared) for name, stream in zip(STREAMS, self.streams)}
        out = {name: fused for name, (fused, _) in maps.items()}
        if self.fine_features:
            out.update({f'{name}_fine': fine for name, (_, fine) in maps.items()})
        return out

    # -- pretrained weights ------------------------------------------------------------
    def map_torchvision_state_dict(self, sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """torchvision ResNet keys -> this module's keys (stages after the split go to every
        stream); ``fc.*`` is dropped."""
        out = {}
        for k, v in sd.items():
            if k.startswith('fc.'):
                continue
            if k.startswith('layer'):
                stage = int(k[5])
                if stage >= self.split_stage:
                    for i in range(len(self.streams)):
                        out[f'streams.{i}.{k}'] = v
                    continue
            out[k] = v
        return out

    def init_weights(self) -> None:
        """Load the ``Pretrained`` weights of ``init_cfg`` (downloaded when missing; an error
        when they can be neither found nor downloaded: :func:`resolve_pretrained`)."""
        super().init_weights()
        cfg = self.pretrained_cfg
        if not cfg or cfg.get('type') != 'Pretrained':
            return
        path = resolve_pretrained(cfg['checkpoint'])
        from hoverse.engine.checkpoint import safe_load_checkpoint
        sd = safe_load_checkpoint(path, map_location='cpu')
        sd = sd.get('state_dict', sd)
        missing, unexpected = self.load_state_dict(self.map_torchvision_state_dict(sd),
                                                   strict=False)
        lateral = [k for k in missing if '.lateral.' in k or '.smooth.' in k]
        if set(missing) - set(lateral) or unexpected:
            warnings.warn(f'pretrained {path}: missing {sorted(set(missing) - set(lateral))[:5]}'
                          f', unexpected {unexpected[:5]}')
        self._loaded_pretrained = path

    def frozen_modules(self) -> List[nn.Module]:
        """What ``frozen_stages`` freezes, as mmpose's ResNet: the stem for 0, plus stages
        1..k for k (a duplicated stage in every stream)."""
        if self.frozen_stages < 0:
            return []
        mods: List[nn.Module] = [self.conv1, self.bn1]
        for s in range(1, self.frozen_stages + 1):
            if s < self.split_stage:
                mods.append(getattr(self, f'layer{s}'))
            else:
                mods.extend(getattr(stream, f'layer{s}') for stream in self.streams)
        return mods

    def _freeze_stages(self) -> None:
        for m in self.frozen_modules():
            m.eval()  # BatchNorm statistics stay as loaded
            for p in m.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True) -> 'DualStreamResNet':
        super().train(mode)
        self._freeze_stages()
        return self
