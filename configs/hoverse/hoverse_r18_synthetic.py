# Small hoverse (ResNet-18 streams, 128x128 crops) that trains on CPU on the synthetic set.
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/datasets/synthetic.py',
    '../_base_/default_runtime.py'
]
input_size = (128, 128)
model = dict(
    backbone=dict(depth=18, out_channels=128, init_cfg=None),
    # stride-4 heatmaps: D-BFAM's heatmap heads upsample the stride-8 maps 2x (32x32 on the
    # 128-px crop; the codec below). One run each against stride 8 (docs/benchmarks.md):
    # quickstart hand/kpt2d_error 16.1 vs 18.1 px, hand/rr_mpjpe 71.2 vs 77.9 mm,
    # object/rot_error_median 72.9 vs 80.3 degrees; long config 6.5 vs 7.7 px, 26.5 vs
    # 29.4 mm, 28.8 vs 27.0 degrees; PA-MPJPE 15.6 vs 15.6 and 13.7 vs 14.3 mm
    dbfam=dict(in_channels=128, hidden=64, heatmap_upsample=2),
    cfsm=dict(channels=128, num_heads=4, token_stride=1),
    mano_head=dict(in_channels=128, kpt_channels=64, hidden=256),
    # the object's rotation regressed in the hand's frame: in two quickstart runs each, the
    # median rotation error 80.3 / 85.3 degrees against 87.0 / 89.0 in the camera frame
    # (docs/benchmarks.md); the grasp ties the object to the hand
    object_head=dict(in_channels=128, kpt_channels=64, hidden=256, rot_relative_to_hand=True),
    # the set renders background / hand / object masks: segment them as an auxiliary task
    seg_head=dict(type='SegmentationHead', in_channels=128, hidden=64,
                  loss_seg=dict(type='SegmentationCELoss', loss_weight=1.0)),
    # which object is held: the demos need no --object
    cls_head=dict(type='ObjectClassificationHead', in_channels=128, hidden=128,
                  class_names=_base_.synthetic_objects,
                  loss_cls=dict(type='ObjectClassCELoss', loss_weight=0.5)),
    object_models_root='data/synthetic/models',
    input_size=128,
    codec=dict(input_size=128, heatmap_size=32))

# the base pipelines, cropped at this size (and with the masks for training)
train_pipeline = [dict(t, input_size=input_size) if t['type'] == 'TopDownAffine' else
                  dict(t, with_mask=True) if t['type'] == 'LoadImage' else t
                  for t in _base_.train_pipeline]
test_pipeline = [dict(t, input_size=input_size) if t['type'] == 'TopDownAffine' else t
                 for t in _base_.test_pipeline]
# iteration-based training: an infinite sampler, so epochs do not restart the workers
train_dataloader = dict(batch_size=16, sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# Adam at 1e-3: of 5e-4, 1e-3 and 2e-3 (one quickstart run each, docs/benchmarks.md) the
# lowest object rotation error (median 72.9 against 84.9 and 91.5 degrees), the hand the same
# (fused=True: one kernel for every parameter, as in the paper configs' schedule)
optim_wrapper = dict(type='DeferredLogOptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-3, fused=True),
                     clip_grad=dict(max_norm=10.0))
# warm-up, then a cosine decay that ends at max_iters (its end defaults to max_iters, so
# `--cfg-options train_cfg.max_iters=N` rescales it)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.05, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, eta_min=1e-5),
]
train_cfg = dict(by_epoch=False, max_iters=600, val_interval=300)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(logger=dict(interval=25),
                     checkpoint=dict(by_epoch=False, interval=300, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
