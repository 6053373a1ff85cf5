"""Parameters and FLOPs of a hoverse model, per component, for one crop.

Usage: python tools/analysis_tools/get_flops.py CONFIG [--mano data/mano]
"""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--mano', help='override the MANO model path')
    args = parser.parse_args()
    import torch
    from mmengine.analysis import FlopAnalyzer
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import MODELS
    cfg = Config.fromfile(args.config)
    init_default_scope('hoverse')
    if args.mano:
        cfg.model.mano_head.mano.model_path = args.mano
    cfg.model.object_models_root = None
    if cfg.model.backbone.get('init_cfg'):
        cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model).eval()
    size = cfg.model.get('input_size', 256)
    x = torch.randn(1, 3, size, size)

    class Tensor(torch.nn.Module):  # mode='tensor' with a fixed crop camera
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            out = self.m(x, mode='tensor')
            return out['hand_verts'], out['obj_rot']

    wrapped = Tensor(model)
    flops = FlopAnalyzer(wrapped, (x, ))
    flops.unsupported_ops_warnings(False)
    flops.uncalled_modules_warnings(False)
    by_module = flops.by_module()
    print(f'input 1x3x{size}x{size}')
    print(f"{'component':<14}{'params (M)':>12}{'GFLOPs':>10}")
    for name in ('backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head'):
        sub = getattr(model, name)
        if sub is None:
            continue
        params = sum(p.numel() for p in sub.parameters()) / 1e6
        print(f'{name:<14}{params:>12.2f}{by_module.get("m." + name, 0) / 1e9:>10.3f}')
    total = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"{'total':<14}{total:>12.2f}{flops.total() / 1e9:>10.3f}")


if __name__ == '__main__':
    main()
