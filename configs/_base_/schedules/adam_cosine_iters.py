# The CPU-size recipes' schedule: Adam at 1e-3 (of 5e-4, 1e-3 and 2e-3 the lowest object
# rotation error on the synthetic quickstart, docs/notes.md), a 50-iteration warm-up, then a
# cosine decay that ends at max_iters (`--cfg-options train_cfg.max_iters=N` rescales it).
# fused=True: one kernel updates every parameter (docs/benchmarks.md).
optim_wrapper = dict(type='DeferredLogOptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-3, fused=True),
                     clip_grad=dict(max_norm=10.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, eta_min=1e-5),
]
train_cfg = dict(by_epoch=False, max_iters=600, val_interval=300)
val_cfg = dict()
test_cfg = dict()
