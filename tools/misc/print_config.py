"""Print a config as hoverse reads it (bases merged, --cfg-options applied) and every loss
term of its model with its weight, the defaults of components included.

Usage:
    python tools/misc/print_config.py CONFIG [--losses-only] [--cfg-options k=v ...]
"""
import argparse


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--losses-only', action='store_true',
                        help='print only the table of loss terms')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='key=value overrides; every key must already exist unless '
                        '--allow-new-keys')
    parser.add_argument('--allow-new-keys', action='store_true')
    args = parser.parse_args()
    from mmengine.registry import init_default_scope
    from mmengine.utils import import_modules_from_strings

    import hoverse.models  # noqa: F401  (registers the components)
    from hoverse.utils import load_tool_config
    from hoverse.utils.loss_terms import format_loss_terms, loss_terms
    cfg = load_tool_config(args.config, args.cfg_options, args.allow_new_keys)
    init_default_scope(cfg.get('default_scope', 'hoverse'))
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    if not args.losses_only:
        print(cfg.pretty_text)
        print()
    print(f'Loss terms of {args.config} ("default": set by the component, not the config)')
    print(format_loss_terms(loss_terms(cfg.model)))


if __name__ == '__main__':
    main()
