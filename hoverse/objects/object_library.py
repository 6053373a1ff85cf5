"""Object templates in the YCB layout: meshes, surface samples, boxes and SDF grids."""
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import warnings

import numpy as np
import torch

from hoverse.geometry.boxes import longest_box_axis

from .sdf import SDFGrid, load_or_build_sdf_grid
from .object_symmetry import ObjectSymmetry, check_symmetry, read_models_info
from .ycb_symmetries import ycb_symmetry

MESH_FILE = 'textured_simple.obj'


def box_corners(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The 8 corners ``(8, 3)`` of an axis-aligned box; corner i takes bit (2, 1, 0) of i
    for (x, y, z), 0 = min and 1 = max (see ``OBJECT_BOX_EDGES``)."""
    idx = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)])
    return np.where(idx == 1, hi, lo)


@dataclass
class ObjectTemplate:
    """One object in its model frame (metres).

    Attributes:
        name: folder name. vertices (V, 3), faces (F, 3): the mesh.
        samples (S, 3): deterministic surface samples. points (P, 3) or None: points.xyz.
        corners (8, 3): model-frame bbox corners. center (3,): bbox centre.
        diameter: largest distance between two vertices.
        symmetry: its symmetry group (``models_info.json``, else the YCB table, else none).
    """
    name: str
    vertices: np.ndarray
    faces: np.ndarray
    samples: np.ndarray
    corners: np.ndarray
    center: np.ndarray
    diameter: float
    points: Optional[np.ndarray] = None
    symmetry: ObjectSymmetry = field(default_factory=ObjectSymmetry)
    sdf_path: Optional[str] = None
    _sdf: Optional[SDFGrid] = field(default=None, repr=False)

    @property
    def longest_axis(self) -> np.ndarray:
        """``(3,)`` the model-frame unit axis along the longest side of the bounding box."""
        return longest_box_axis(self.corners)

    _sample_sets: Dict = field(default_factory=dict, repr=False)

    def surface_samples(self, num: int, seed: int = 0) -> np.ndarray:
        """``(num, 3)`` points drawn uniformly over the mesh's surface by area (seeded,
        deterministic: the same ``num`` and ``seed`` give the same points, drawn once), as
        many as a task needs beside the fixed ``samples``."""
        import trimesh
        if num < 1:
            raise ValueError(f'surface_samples: num must be >= 1, got {num}')
        key = (int(num), seed)
        if key not in self._sample_sets:
            mesh = trimesh.Trimesh(self.vertices, self.faces, process=False)
            pts, _ = trimesh.sample.sample_surface(mesh, int(num), seed=seed)
            self._sample_sets[key] = np.asarray(pts, np.float64)
        return self._sample_sets[key]


class ObjectLibrary:
    """Reads ``<root>/<name>/textured_simple.obj`` (and ``points.xyz`` when present), and
    each object's symmetries from ``<root>/models_info.json`` (BOP's format, keyed by name;
    see :mod:`hoverse.objects.object_symmetry`) or, for YCB objects without one, from
    :mod:`hoverse.objects.ycb_symmetries`. A symmetry that does not fit the mesh is warned
    about at load time.

    Args:
        root: the models folder.
        num_samples: fixed number of surface samples per object (seeded, deterministic).
        sdf_resolution: SDF grid size per axis.
        cache_dir: where SDF grids are cached; default ``<root>/<name>/``.
    """

    _shared: Dict = {}

    @classmethod
    def shared(cls, root: str, **kwargs) -> 'ObjectLibrary':
        """The process's one library of ``root`` (and these arguments): a model, its
        metrics and its tools load each template, its samples and its SDF grid once."""
        key = (osp.realpath(root), tuple(sorted(kwargs.items())))
        if key not in cls._shared:
            cls._shared[key] = cls(root, **kwargs)
        return cls._shared[key]

    def __init__(self, root: str, num_samples: int = 2048, sdf_resolution: int = 64,
                 cache_dir: Optional[str] = None, seed: int = 0) -> None:
        if not osp.isdir(root):
            raise FileNotFoundError(f'object models folder {root!r} does not exist')
        self.root = root
        self.num_samples = num_samples
        self.sdf_resolution = sdf_resolution
        self.cache_dir = cache_dir
        self.seed = seed
        self._templates: Dict[str, ObjectTemplate] = {}
        self.models_info = read_models_info(root)

    @property
    def names(self) -> List[str]:
        return sorted(d for d in os.listdir(self.root)
                      if osp.isfile(osp.join(self.root, d, MESH_FILE)))

    def __contains__(self, name: str) -> bool:
        return osp.isfile(osp.join(self.root, name, MESH_FILE))

    def __getitem__(self, name: str) -> ObjectTemplate:
        if name not in self._templates:
            self._templates[name] = self._load(name)
        return self._templates[name]

    def _load(self, name: str) -> ObjectTemplate:
        import trimesh
        path = osp.join(self.root, name, MESH_FILE)
        if not osp.isfile(path):
            raise KeyError(f'no template for object {name!r}: {path} does not exist '
                           f'(known objects: {", ".join(self.names) or "none"})')
        mesh = trimesh.load(path, force='mesh', process=False)
        verts = np.asarray(mesh.vertices, np.float64)
        faces = np.asarray(mesh.faces, np.int64)
        if len(verts) == 0 or len(faces) == 0:
            raise ValueError(f'object mesh {path} has no vertices or faces')
        samples, _ = trimesh.sample.sample_surface(mesh, self.num_samples, seed=self.seed)
        points = None
        xyz = osp.join(self.root, name, 'points.xyz')
        if osp.isfile(xyz):
            points = np.loadtxt(xyz, dtype=np.float64).reshape(-1, 3)
        lo, hi = verts.min(0), verts.max(0)
        hull = mesh.convex_hull.vertices if len(verts) > 4 else verts
        diffs = hull[:, None] - hull[None]
        diameter = float(np.sqrt((diffs**2).sum(-1)).max())
        cache = osp.join(self.cache_dir or osp.join(self.root, name),
                         f'{name}_sdf{self.sdf_resolution}.npz')
        samples = np.asarray(samples, np.float64)
        symmetry = self._symmetry(name, (lo + hi) / 2, samples[:256], verts, faces, diameter)
        return ObjectTemplate(name, verts, faces, samples, box_corners(lo, hi), (lo + hi) / 2,
                              diameter, points, symmetry, cache)

    def _symmetry(self, name: str, center: np.ndarray, samples: np.ndarray, verts: np.ndarray,
                  faces: np.ndarray, diameter: float) -> ObjectSymmetry:
        if name in self.models_info:
            sym, source = ObjectSymmetry.from_bop(self.models_info[name], name), \
                osp.join(self.root, 'models_info.json')
        else:
            sym, source = ycb_symmetry(name, center), 'the YCB symmetry table'
        if sym is None:
            return ObjectSymmetry()
        bad = check_symmetry(samples, verts, faces, sym, diameter)
        if bad:
            warnings.warn(f'object {name!r}: symmetries from {source} do not fit its mesh '
                          f'({"; ".join(bad)}); losses and metrics will still use them')
        return sym

    def sdf(self, name: str) -> SDFGrid:
        """The object's SDF grid, from its cache when the mesh has not changed."""
        t = self[name]
        if t._sdf is None:
            t._sdf, _ = load_or_build_sdf_grid(t.vertices, t.faces, t.sdf_path,
                                               self.sdf_resolution)
        return t._sdf

    def tensors(self, name: str, device: torch.device = torch.device('cpu')
                ) -> Dict[str, torch.Tensor]:
        """``samples (S, 3)``, ``corners (8, 3)``, ``center (3,)`` as float tensors."""
        t = self[name]
        return {k: torch.as_tensor(getattr(t, k), dtype=torch.float32, device=device)
                for k in ('samples', 'corners', 'center')}
