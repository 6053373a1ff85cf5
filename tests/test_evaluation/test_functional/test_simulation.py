import dataclasses

import numpy as np
import pytest
import trimesh

from hoverse.evaluation.functional import (LONG_HORIZON_1S, OBMAN_PROTOCOL,
                                           SIMULATION_PROTOCOLS, simulation_displacement)

pytest.importorskip('pybullet')


def _cube(side, centre=(0, 0, 0)):
    m = trimesh.creation.box((side, side, side))
    return np.asarray(m.vertices) + centre, np.asarray(m.faces)


def _flat_patch(y: float, half: float = 0.1, n: int = 10):
    """An open triangulated square in the plane ``y`` (a flat, open "hand" surface)."""
    xs = np.linspace(-half, half, n + 1)
    X, Z = np.meshgrid(xs, xs)
    verts = np.stack([X.ravel(), np.full(X.size, y), Z.ravel()], 1)
    faces = []
    for i in range(n):
        for j in range(n):
            a = i * (n + 1) + j
            faces += [[a, a + 1, a + n + 2], [a, a + n + 2, a + n + 1]]
    return verts, np.asarray(faces)


def test_obman_protocol_parameters():
    p = OBMAN_PROTOCOL
    assert (p.num_steps, p.timestep, p.gravity, p.solver_iterations) == (35, 1 / 240, 9.8, 150)
    assert (p.object_mass, p.object_friction, p.hand_friction) == (1.0, 3.0, 3.0)
    assert (p.object_restitution, p.hand_restitution, p.centre_of_mass) == (0.5, 0.0,
                                                                            'mean_vertex')
    assert p.vhacd['resolution'] == 1000
    assert LONG_HORIZON_1S.seconds == pytest.approx(1.0)
    assert SIMULATION_PROTOCOLS == {'sim_displacement': OBMAN_PROTOCOL,
                                    'sim_displacement_1s': LONG_HORIZON_1S}


def test_free_fall_follows_the_protocols_horizon(tmp_path):
    ov, of = _cube(0.04)
    far = _cube(0.02, (1.0, 0, 0))  # touches nothing
    t = OBMAN_PROTOCOL.seconds
    # 0.5 g t^2 = 104.2 mm; pybullet's semi-implicit Euler steps give g dt^2 N (N + 1) / 2 =
    # 107.2 mm, less its default linear damping
    free = simulation_displacement(*far, ov, of, OBMAN_PROTOCOL, workdir=str(tmp_path))
    assert 0.5 * 9.8 * t**2 <= free <= 9.8 * (1 / 240)**2 * 35 * 36 / 2
    long = simulation_displacement(*far, ov, of, LONG_HORIZON_1S, workdir=str(tmp_path))
    assert long == pytest.approx(0.5 * 9.81, rel=0.08)
    # gravity's direction is taken from gravity_dir, its magnitude from the protocol
    sideways = simulation_displacement(*far, ov, of, OBMAN_PROTOCOL, gravity_dir=(3, 0, 0),
                                       workdir=str(tmp_path))
    assert sideways == pytest.approx(free, rel=1e-3)


@pytest.mark.parametrize('shape', ['box', 'sphere'])
def test_object_resting_on_a_flat_patch_stays(shape, tmp_path):
    if shape == 'box':
        ov, of = _cube(0.04)
    else:
        m = trimesh.creation.icosphere(subdivisions=3, radius=0.02)
        ov, of = np.asarray(m.vertices), np.asarray(m.faces)
    patch = _flat_patch(y=0.02)  # touching the object's bottom (+y is down)
    held = simulation_displacement(*patch, ov, of, OBMAN_PROTOCOL, workdir=str(tmp_path))
    assert held < 0.005


def test_friction_reaches_pybullet(tmp_path):
    """A flat slab on a patch with gravity 50 degrees off the normal (tan 50 = 1.19): the
    protocol's friction (3) holds it, pybullet's default (0.5) lets it slide."""
    m = trimesh.creation.box((0.06, 0.01, 0.06))
    ov, of = np.asarray(m.vertices), np.asarray(m.faces)
    patch = _flat_patch(y=0.005, half=0.5)
    g = (np.sin(np.radians(50)), np.cos(np.radians(50)), 0)
    held = simulation_displacement(*patch, ov, of, OBMAN_PROTOCOL, gravity_dir=g,
                                   workdir=str(tmp_path))
    slippery = dataclasses.replace(OBMAN_PROTOCOL, object_friction=None, hand_friction=None)
    slid = simulation_displacement(*patch, ov, of, slippery, gravity_dir=g,
                                   workdir=str(tmp_path))
    assert held < 0.005
    assert slid > 0.03


def test_unknown_centre_of_mass_is_named(tmp_path):
    ov, of = _cube(0.04)
    bad = dataclasses.replace(OBMAN_PROTOCOL, centre_of_mass='middle')
    with pytest.raises(ValueError, match="centre_of_mass.*'middle'"):
        simulation_displacement(*_cube(0.02, (1, 0, 0)), ov, of, bad, workdir=str(tmp_path))
