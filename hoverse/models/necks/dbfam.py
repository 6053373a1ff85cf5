"""D-BFAM: dual-branch feature augmentation by keypoint graphs."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.hand_models.joint_orders import CANONICAL_SKELETON, OBJECT_SKELETON
from hoverse.registry import KEYPOINT_CODECS, MODELS

from .graph_layers import ContactGCN, TopologyGCN


def _heatmap_layers(channels: int, hidden: int, num_kpts: int, upsample: int) -> nn.Sequential:
    """3x3 conv, then one stride-2 transposed conv per doubling of ``upsample`` (as in
    SimpleBaseline's deconvolution head), then a 1x1 conv to ``num_kpts`` logits."""
    layers = [nn.Conv2d(channels, hidden, 3, padding=1), nn.BatchNorm2d(hidden),
              nn.ReLU(inplace=True)]
    for _ in range(upsample.bit_length() - 1):
        layers += [nn.ConvTranspose2d(hidden, hidden, 4, stride=2, padding=1, bias=False),
                   nn.BatchNorm2d(hidden), nn.ReLU(inplace=True)]
    return nn.Sequential(*layers, nn.Conv2d(hidden, num_kpts, 1))


class _KeypointBranch(nn.Module):
    """Heatmaps -> soft-argmax keypoints -> sampled keypoint features -> topology GCN."""

    def __init__(self, channels: int, hidden: int, num_kpts: int, edges, num_layers: int,
                 use_topology: bool, upsample: int = 1,
                 fine_channels: Optional[int] = None) -> None:
        super().__init__()
        self.upsample = upsample
        self.heatmap = _heatmap_layers(channels, hidden, num_kpts, upsample)
        # the stride-4 skip, merged after the first transposed conv (its BN and ReLU)
        self.fine_lateral = self.fine_merge = None
        if fine_channels:
            self.fine_lateral = nn.Conv2d(fine_channels, hidden, 1)
            self.fine_merge = nn.Sequential(nn.Conv2d(hidden, hidden, 3, padding=1),
                                            nn.BatchNorm2d(hidden), nn.ReLU(inplace=True))
        self.reduce = nn.Conv2d(channels, hidden, 1)
        self.pos = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(inplace=True),
                                 nn.Linear(hidden, hidden))
        self.topology = TopologyGCN(hidden, edges, num_kpts, num_layers) if use_topology else None
        self.scatter = nn.Conv2d(hidden, channels, 1)

    def keypoints(self, feat: torch.Tensor, codec, fine: Optional[torch.Tensor] = None):
        if self.fine_lateral is None:
            logits = self.heatmap(feat)
        else:
            x = self.heatmap[:6](feat)  # conv, BN, ReLU, transposed conv, BN, ReLU
            if fine.shape[-2:] != x.shape[-2:]:
                raise ValueError(f'DBFAM fine map {tuple(fine.shape[-2:])} must match the '
                                 f'heatmap features after one doubling '
                                 f'{tuple(x.shape[-2:])}: stride 4 on a stride-8 map')
            x = self.fine_merge(x + self.fine_lateral(fine))
            logits = self.heatmap[6:](x)
        coords, probs = codec.decode(logits)
        return logits, coords, probs

    def sample(self, feat: torch.Tensor, coords: torch.Tensor, size: float) -> torch.Tensor:
        """Features at ``coords`` (input pixels) plus a position code: ``(B, K, hidden)``."""
        norm = coords / size * 2 - 1
        red = self.reduce(feat)
        sampled = F.grid_sample(red, norm[:, :, None], align_corners=False)[..., 0]
        return sampled.transpose(1, 2) + self.pos(norm)

    def scatter_weights(self, probs: torch.Tensor) -> torch.Tensor:
        """Heatmap probabilities ``(B, K, u*h, u*w)`` summed over each ``u x u`` block onto
        the feature map's ``(B, K, h, w)`` grid (identity when ``u`` is 1)."""
        if self.upsample == 1:
            return probs
        return F.avg_pool2d(probs, self.upsample) * self.upsample ** 2


@MODELS.register_module()
class DBFAM(nn.Module):
    """Dual-branch feature augmentation module.

    Per branch (hand: 21 joints on the skeleton graph; object: 8 box corners + centre on the
    box graph): heatmaps and soft-argmax 2D keypoints, keypoint features sampled from the
    map, (a) a global keypoint-topology GCN, and (b) a local contact GCN between hand and
    object keypoints. The refined keypoint features are scattered back through the
    heatmap probabilities as the branch's *secondary* feature map.

    ``forward({'hand': (B, C, h, w), 'object': ...}, input_size)`` adds ``*_secondary``,
    ``*_heatmaps`` (logits), ``*_kpts`` (B, K, 2) input pixels and ``*_kpt_feats``.
    ``codec`` (a ``KEYPOINT_CODECS`` config; the reconstructor passes the model's one)
    decodes the heatmaps; maps of another size than the codec's are an error.
    ``hand_skeleton`` / ``object_skeleton`` ((a, b) index pairs; default the canonical
    ones, as in ``hoverse/datasets/metainfo/hand_object.py``) are the topology graphs.
    ``heatmap_upsample`` (1, 2 or 4) makes the heatmaps that many times finer than the
    feature map (transposed convolutions): 2 on a stride-8 backbone gives stride-4 maps,
    and the codec's ``heatmap_size`` must be that much larger. ``fine_channels`` (with
    ``heatmap_upsample`` 2 or 4) adds a skip from the backbone's stride-4 maps
    (``hand_fine`` / ``object_fine``: ``DualStreamResNet(fine_features=True)``, whose
    ``fine_channels`` it must equal) into each heatmap head after its first doubling, as in
    U-Net: finer detail than the stride-8 features hold, for the fingers' joints.
    """

    def __init__(self, in_channels: int = 256, hidden: int = 128, num_layers: int = 2,
                 use_topology: bool = True, use_contact: bool = True,
                 codec: dict = dict(type='SoftArgmaxHeatmap', input_size=256, heatmap_size=32),
                 num_joints: int = 21, num_object_kpts: int = 9,
                 hand_skeleton: Optional[Sequence[Sequence[int]]] = None,
                 object_skeleton: Optional[Sequence[Sequence[int]]] = None,
                 heatmap_upsample: int = 1, fine_channels: Optional[int] = None) -> None:
        super().__init__()
        if heatmap_upsample not in (1, 2, 4):
            raise ValueError(f'DBFAM heatmap_upsample must be 1, 2 or 4 (times the feature '
                             f'map\'s resolution), got {heatmap_upsample!r}')
        if fine_channels and heatmap_upsample == 1:
            raise ValueError('DBFAM fine_channels needs heatmap_upsample 2 or 4: the '
                             'stride-4 skip joins the heatmap head after its first doubling')
        self.fine_channels = fine_channels
        self.codec = KEYPOINT_CODECS.build(codec)
        edges = {}
        for name, given, default, count in (
                ('hand_skeleton', hand_skeleton, CANONICAL_SKELETON, num_joints),
                ('object_skeleton', object_skeleton, OBJECT_SKELETON, num_object_kpts)):
            edges[name] = [tuple(e) for e in (default if given is None else given)]
            bad = [e for e in edges[name] if len(e) != 2 or not all(0 <= i < count for i in e)]
            if bad:
                raise ValueError(f'DBFAM {name} edges {bad[:3]} must be index pairs in '
                                 f'[0, {count})')
        self.hand = _KeypointBranch(in_channels, hidden, num_joints, edges['hand_skeleton'],
                                    num_layers, use_topology, heatmap_upsample, fine_channels)
        self.object = _KeypointBranch(in_channels, hidden, num_object_kpts,
                                      edges['object_skeleton'], num_layers, use_topology,
                                      heatmap_upsample, fine_channels)
        self.contact = ContactGCN(hidden) if use_contact else None

    def _fine(self, feats: Dict[str, torch.Tensor], name: str) -> Optional[torch.Tensor]:
        """The backbone's stride-4 map of branch ``name`` when the skip is on."""
        if not self.fine_channels:
            return None
        key = f'{name}_fine'
        if key not in feats:
            raise KeyError(f'DBFAM(fine_channels={self.fine_channels}) needs the backbone\'s '
                           f'{key} map: set the backbone\'s fine_features=True')
        if feats[key].shape[1] != self.fine_channels:
            raise ValueError(f'DBFAM fine_channels={self.fine_channels} but the backbone\'s '
                             f'{key} has {feats[key].shape[1]} channels (its fine_channels)')
        return feats[key]

    def forward(self, feats: Dict[str, torch.Tensor], input_size: float = 256.0
                ) -> Dict[str, torch.Tensor]:
        out = dict(feats)
        kp = {}
        for name, branch in (('hand', self.hand), ('object', self.object)):
            logits, coords, probs = branch.keypoints(feats[name], self.codec,
                                                     self._fine(feats, name))
            node = branch.sample(feats[name], coords, input_size)
            if branch.topology is not None:
                node = branch.topology(node)
            kp[name] = (logits, coords, probs, node)
        h_node, o_node = kp['hand'][3], kp['object'][3]
        if self.contact is not None:
            h_node, o_node, adj = self.contact(h_node, o_node, kp['hand'][1] / input_size,
                                               kp['object'][1] / input_size)
            out['contact_adjacency'] = adj
        for name, branch, node in (('hand', self.hand, h_node), ('object', self.object, o_node)):
            logits, coords, probs, _ = kp[name]
            secondary = torch.einsum('bkhw,bkc->bchw', branch.scatter_weights(probs), node)
            out[f'{name}_secondary'] = branch.scatter(secondary)
            out[f'{name}_heatmaps'] = logits
            out[f'{name}_kpts'] = coords
            out[f'{name}_kpt_feats'] = node
        return out
