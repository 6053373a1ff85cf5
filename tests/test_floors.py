"""The floors of ../shared/DESIGN.md section 8: a package imports only packages on lower
floors (and itself), never sideways or up, so that e.g. loading data never pulls a
renderer and the model never imports the research tools."""
import ast
import os
import os.path as osp

from tests.conftest import REPO

#: floor of each top-level part of the package (higher imports lower)
FLOORS = {
    'apis': 5, 'analysis': 5, 'synthesis': 5, 'testing': 5,
    'datasets': 4, 'evaluation': 4, 'models': 4, 'visualization': 4, 'detectors': 4,
    'hand_models': 3, 'engine': 3,
    'objects': 2,
    'geometry': 1, 'structures': 1, 'utils': 1,
    'registry': 0, 'version': 0,
}


def _imports(path: str):
    """The ``hoverse.<part>`` names a module imports (absolute and relative)."""
    pkg = osp.relpath(osp.dirname(path), REPO).split(os.sep)
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[:len(pkg) - node.level + 1]
                names = ['.'.join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module or '']
        else:
            continue
        for n in names:
            parts = n.split('.')
            if parts[0] == 'hoverse' and len(parts) > 1:
                yield node.lineno, parts[1]


def test_every_import_points_down_a_floor():
    bad = []
    root = osp.join(REPO, 'hoverse')
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith('.py'):
                continue
            path = osp.join(dirpath, f)
            rel = osp.relpath(path, root).split(os.sep)
            part = rel[0][:-3] if rel[0].endswith('.py') else rel[0]
            if part == '__init__':
                continue
            assert part in FLOORS, f'{part} has no floor in this test (and in DESIGN.md)'
            for line, target in _imports(path):
                assert target in FLOORS, f'{path}:{line} imports unknown part {target}'
                if target != part and FLOORS[target] >= FLOORS[part]:
                    bad.append(f'{osp.relpath(path, REPO)}:{line} ({part}, floor '
                               f'{FLOORS[part]}) imports {target} (floor {FLOORS[target]})')
    assert not bad, '\n'.join(bad)
