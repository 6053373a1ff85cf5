import pytest
import torch

from hoverse.models.heads import PatchPnP


def _maps(batch=2, size=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, size, size, generator=g) * 2 - 1,
            torch.randn(batch, 1, size, size, generator=g))


def test_starts_at_the_identity_and_gradients_reach_the_maps():
    torch.manual_seed(0)
    net = PatchPnP(grid=8, extent=0.5, hidden=16)
    coords, mask = _maps()
    coords.requires_grad_(True)
    mask.requires_grad_(True)
    centre = torch.tensor([[64.0, 64.0], [30.0, 90.0]], requires_grad=True)
    rot6d = net(coords, mask, centre, 128.0)
    torch.testing.assert_close(rot6d, torch.tensor([[1.0, 0, 0, 0, 1.0, 0]]).expand(2, 6))
    torch.nn.init.normal_(net.fc[-1].weight, std=0.1)  # away from the identity
    net(coords, mask, centre, 128.0).square().sum().backward()
    assert coords.grad.abs().sum() > 0 and mask.grad.abs().sum() > 0
    assert centre.grad is None  # the centre has its own keypoint loss


def test_detached_maps_get_no_gradient_and_give_the_same_rotation():
    torch.manual_seed(0)
    net = PatchPnP(grid=8, extent=0.5, hidden=16)
    torch.nn.init.normal_(net.fc[-1].weight, std=0.1)
    coords, mask = _maps()
    coords.requires_grad_(True)
    centre = torch.full((2, 2), 64.0)
    attached = net(coords, mask, centre, 128.0)
    net.detach_maps = True
    detached = net(coords, mask, centre, 128.0)
    torch.testing.assert_close(detached, attached)
    detached.square().sum().backward()
    assert coords.grad is None and net.convs[0].weight.grad.abs().sum() > 0


def test_reads_only_the_window_around_the_centre():
    torch.manual_seed(0)
    net = PatchPnP(grid=8, extent=0.5, hidden=16)
    torch.nn.init.normal_(net.fc[-1].weight, std=0.1)
    coords, mask = _maps(batch=1)
    centre = torch.tensor([[40.0, 40.0]])  # the window spans about 8-72 px, cells 2-18
    base = net(coords, mask, centre, 128.0)
    far = coords.clone()
    far[..., 24:, 24:] = -far[..., 24:, 24:]  # beyond the window
    torch.testing.assert_close(net(far, mask, centre, 128.0), base)
    near = coords.clone()
    near[..., 8:12, 8:12] = -near[..., 8:12, 8:12]  # inside it
    assert not torch.allclose(net(near, mask, centre, 128.0), base)
    # where the object is not seen its coordinates do not count
    hidden = mask.clone()
    hidden[..., 8:12, 8:12] = -30.0
    torch.testing.assert_close(net(near, hidden, centre, 128.0),
                               net(coords, hidden, centre, 128.0))
    # the window follows the centre
    assert not torch.allclose(net(coords, mask, centre + 24.0, 128.0), base)


def test_learns_rotations_from_true_coordinate_maps(objects_dir):
    """Fitted on the true maps of a box at 8 rotations, it reads them to a few degrees:
    the maps, the window and the solve agree end to end."""
    from scipy.spatial.transform import Rotation

    from hoverse.geometry.rotations import geodesic_distance, rot6d_to_matrix
    from hoverse.objects import TemplateBank
    from hoverse.registry import KEYPOINT_CODECS
    codec = KEYPOINT_CODECS.build(dict(type='ObjectCoordinateMap', input_size=128,
                                       heatmap_size=32))
    bank = TemplateBank(objects_dir, 256, 8192)
    tb = bank.batch(['box'] * 8, torch.device('cpu'))
    R = torch.as_tensor(Rotation.random(8, random_state=4).as_matrix(), dtype=torch.float32)
    K = torch.tensor([[300.0, 0, 64], [0, 300.0, 64], [0, 0, 1]]).expand(8, 3, 3)
    t = torch.tensor([0.0, 0.0, 0.4]).expand(8, 3)
    coords, weight, _ = codec.encode(tb['dense_samples'], tb['corners'], R, t, K)
    mask = (weight * 20 - 10)[:, None]
    centre = torch.full((8, 2), 64.0)
    torch.manual_seed(0)
    net = PatchPnP(grid=16, extent=0.75, hidden=32)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    for _ in range(150):
        opt.zero_grad()
        loss = geodesic_distance(rot6d_to_matrix(net(coords, mask, centre, 128.0)), R).mean()
        loss.backward()
        opt.step()
    with torch.no_grad():
        err = geodesic_distance(rot6d_to_matrix(net(coords, mask, centre, 128.0)), R)
    assert float(err.max()) < 0.1, err  # radians; at the start about 2


def test_residual_refines_the_rotation_it_is_given():
    torch.manual_seed(0)
    net = PatchPnP(grid=8, extent=0.5, hidden=16, residual=True)
    coords, mask = _maps()
    centre = torch.full((2, 2), 64.0)
    R0 = torch.linalg.qr(torch.randn(2, 3, 3))[0]
    R0 = R0 * torch.linalg.det(R0)[:, None, None]  # proper rotations
    R0.requires_grad_(True)
    identity = torch.tensor([[1.0, 0, 0, 0, 1.0, 0]]).expand(2, 6)
    torch.testing.assert_close(net(coords, mask, centre, 128.0, R0), identity)
    torch.nn.init.normal_(net.fc[-1].weight, std=0.1)
    base = net(coords, mask, centre, 128.0, R0)
    # the rotation it refines is an input, and is not trained through it
    assert not torch.allclose(net(coords, mask, centre, 128.0, R0.flip(0)), base.flip(0))
    base.square().sum().backward()
    assert R0.grad is None
    with pytest.raises(ValueError, match='rot_init'):
        net(coords, mask, centre, 128.0)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='grid'):
        PatchPnP(grid=6)
    with pytest.raises(ValueError, match='extent'):
        PatchPnP(extent=0.0)
    coords, mask = _maps()
    with pytest.raises(ValueError, match='mask_logits'):
        PatchPnP(grid=8, hidden=16)(coords, mask[:, :, :16], torch.zeros(2, 2), 128.0)
    with pytest.raises(ValueError, match='centre'):
        PatchPnP(grid=8, hidden=16)(coords, mask, torch.zeros(2, 3), 128.0)
