"""The parts of the hand that hold things: the five fingertips and the palm, as MANO vertex
sets (found on the hand's mean shape in its rest pose, so that any MANO-topology model,
the surrogate included, gets its own)."""
import torch
import torch.nn as nn

#: canonical joints whose mean is the palm's centre: wrist and the four finger bases
PALM_JOINTS = (0, 1, 4, 7, 10)
#: canonical fingertip joints (thumb, index, middle, ring, little)
TIP_JOINTS = (16, 17, 18, 19, 20)


@torch.no_grad()
def contact_regions(mano: nn.Module, tip_radius: float = 0.012,
                    palm_radius: float = 0.025) -> torch.Tensor:
    """``(6, K)`` vertex indices: each fingertip's vertices within ``tip_radius`` metres of
    its tip joint, then the palm's within ``palm_radius`` of its centre, padded to one
    length by repeating a region's first vertex. Cached on the layer."""
    key = (tip_radius, palm_radius)
    cache = getattr(mano, '_contact_regions', None)
    if cache is not None and cache[0] == key:
        return cache[1]
    dev = mano.closed_faces.device
    zero = torch.zeros(1, 3, device=dev)
    out = mano(zero, torch.zeros(1, 45, device=dev), torch.zeros(1, 10, device=dev))
    verts, joints = out['verts'][0], out['joints'][0]
    centres = [joints[j] for j in TIP_JOINTS] + [joints[list(PALM_JOINTS)].mean(0)]
    radii = [tip_radius] * len(TIP_JOINTS) + [palm_radius]
    sets = []
    for c, r in zip(centres, radii):
        d = (verts - c).norm(dim=-1)
        ids = torch.nonzero(d <= r).flatten()
        sets.append(ids if len(ids) else d.argmin()[None])
    size = max(len(s) for s in sets)
    regions = torch.stack([torch.cat([s, s[:1].expand(size - len(s))]) for s in sets])
    mano._contact_regions = (key, regions)
    return regions
