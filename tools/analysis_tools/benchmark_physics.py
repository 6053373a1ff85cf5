"""Cost of the physics: SDF-grid lookup against the exact signed distance, and the
interaction metrics per sample.

Usage: python tools/analysis_tools/benchmark_physics.py [--mano data/mano] [--out FILE]

For each procedural object and 778 points around it (hand-like, half inside), times the
trilinear grid lookup used by the SDF penetration loss and the exact point-to-mesh signed
distance (fast winding numbers), and reports their ratio and the lookup's error. Then times
penetration depth, intersection volume (5 mm and 1 mm voxels) and contact for one posed hand
and object, and with pybullet installed each simulation-displacement protocol.
"""
import argparse
import os.path as osp
import tempfile
import time


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up call."""
    fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', help='objects folder (default: procedural objects)')
    parser.add_argument('--mano', default=None, help='MANO folder (default: the surrogate)')
    parser.add_argument('--repeat', type=int, default=20)
    parser.add_argument('--dense-faces', type=int, default=8000,
                        help='subdivide each object to at least this many faces as well')
    parser.add_argument('--objects', nargs='+', help='only these objects (default: all)')
    parser.add_argument('--no-sim', action='store_true',
                        help='skip the simulation protocols (pybullet)')
    parser.add_argument('--out')
    args = parser.parse_args()
    import numpy as np
    import torch

    from hoverse.evaluation.functional import (SIMULATION_PROTOCOLS, in_contact,
                                               intersection_volume, penetration_depth,
                                               simulation_displacement)
    from hoverse.hand_models import MANOLayer
    from hoverse.hand_models.surrogate import write_surrogate_mano
    from hoverse.objects import ObjectLibrary
    from hoverse.objects.procedural import write_procedural_objects
    from hoverse.objects.sdf import exact_signed_distance
    tmp = tempfile.mkdtemp(prefix='hoverse_bench_')
    import importlib.util
    sim_protocols = ({} if args.no_sim or importlib.util.find_spec('pybullet') is None
                     else SIMULATION_PROTOCOLS)
    models, mano = args.models, args.mano
    if models is None:
        models = osp.join(tmp, 'models')
        write_procedural_objects(models)
    if mano is None:
        mano = osp.join(tmp, 'mano')
        write_surrogate_mano(mano)
    lib = ObjectLibrary(models)
    layer = MANOLayer(mano)
    names = lib.names if not args.objects else [n for n in args.objects if n in lib]
    if not names:
        raise SystemExit(f'--objects {args.objects}: none is in {models} ({lib.names})')
    rng = np.random.default_rng(0)
    rows, result = [], dict(objects={})
    import trimesh
    cases = []
    for name in names:
        obj = lib[name]
        cases.append((name, obj.vertices, obj.faces, lib.sdf(name)))
        # the same shape at the density of YCB's textured_simple meshes (>= 8k faces)
        v, f = obj.vertices, obj.faces
        while len(f) < args.dense_faces:
            v, f = trimesh.remesh.subdivide(v, f)
        cases.append((f'{name}-dense', v, f, lib.sdf(name)))
    for name, verts, faces_, grid in cases:
        lo, hi = verts.min(0), verts.max(0)
        pts = rng.uniform(lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo), (778, 3))
        pts_t = torch.as_tensor(pts, dtype=torch.float32)[None]
        with torch.no_grad():
            t_grid = timed(lambda: grid(pts_t), args.repeat)
            approx = grid(pts_t)[0].numpy()
        t_exact = timed(lambda: exact_signed_distance(pts, verts, faces_),
                        max(3, args.repeat // 4))
        exact = exact_signed_distance(pts, verts, faces_)
        err = np.abs(approx - exact)
        near = np.abs(exact) < 0.01  # where the loss acts
        r = dict(grid_ms=t_grid * 1000, exact_ms=t_exact * 1000, speedup=t_exact / t_grid,
                 rms_mm_near=float(np.sqrt((err[near]**2).mean()) * 1000) if near.any() else 0,
                 max_mm_near=float(err[near].max() * 1000) if near.any() else 0,
                 faces=int(len(faces_)))
        result['objects'][name] = r
        rows.append((name, r))
    print('SDF lookup vs exact signed distance, 778 points')
    print(f"{'object':<16}{'faces':>7}{'grid ms':>9}{'exact ms':>10}{'speed-up':>10}"
          f"{'rms mm':>8}{'max mm':>8}  (errors within 1 cm of the surface)")
    for name, r in rows:
        print(f"{name:<16}{r['faces']:>7}{r['grid_ms']:>9.3f}{r['exact_ms']:>10.2f}"
              f"{r['speedup']:>9.0f}x{r['rms_mm_near']:>8.3f}{r['max_mm_near']:>8.3f}")
    # interaction metrics on a hand pressed into each object
    rest = layer(torch.zeros(1, 3), torch.zeros(1, 45))['verts'][0].numpy().astype(np.float64)
    faces = layer.closed_faces.numpy()
    costs = {}
    for name in names:
        obj = lib[name]
        hand = rest - rest.mean(0) + obj.vertices.mean(0) + [0.0, 0.02, 0]
        costs[name] = dict(
            penetration_ms=timed(lambda: penetration_depth(hand, obj.vertices, obj.faces),
                                 5) * 1000,
            volume_ms=timed(lambda: intersection_volume(hand, faces, obj.vertices, obj.faces),
                            5) * 1000,
            volume_1mm_ms=timed(lambda: intersection_volume(hand, faces, obj.vertices,
                                                            obj.faces, voxel_size=0.001),
                                1) * 1000,
            contact_ms=timed(lambda: in_contact(hand, obj.vertices, obj.faces), 5) * 1000)
        if sim_protocols:
            for key, protocol in sim_protocols.items():
                costs[name][f'{key}_ms'] = timed(
                    lambda: simulation_displacement(hand, faces, obj.vertices, obj.faces,
                                                    protocol, workdir=tmp), 1) * 1000
    result['interaction_ms_per_sample'] = costs
    print('\ninteraction metrics, ms per sample')
    for name, c in costs.items():
        sims = ''.join(f'   {k[:-3]} {v:7.1f}' for k, v in c.items() if k.startswith('sim_'))
        print(f"  {name:<10} penetration {c['penetration_ms']:7.2f}   volume 5 mm "
              f"{c['volume_ms']:7.2f}   volume 1 mm {c['volume_1mm_ms']:8.1f}   contact "
              f"{c['contact_ms']:7.2f}{sims}")
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, result)


if __name__ == '__main__':
    main()
