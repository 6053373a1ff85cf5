# Runtime shared by every hoverse config.
default_scope = 'hoverse'

default_hooks = dict(
    # the train step's scalars summed on the device and read once per logging interval
    # (mmengine's RuntimeInfoHook reads each one every iteration, waiting for the GPU);
    # it also stops at a NaN/inf loss term, at the next log or checkpoint
    runtime_info=dict(type='DeferredRuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # keep the latest 3 and the best by the main metric (hand joint error, lower is better)
    checkpoint=dict(
        # mmengine's CheckpointHook, deleting an old checkpoint only after the new one and
        # last_checkpoint are written (safe against kill -9 at any moment)
        type='SafeCheckpointHook', interval=1, max_keep_ckpts=3, save_best='hand/mpjpe',
        rule='less'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='HandObjectVisualizationHook', enable=False),
)
# safe weights_only checkpoint loading and atomic writes for this process (built before any
# load or save). NaNGuardHook stops at the very iteration of a NaN loss, at the cost of a
# device read per iteration: add dict(type='NaNGuardHook') to check every iteration.
custom_hooks = [dict(type='CheckpointIOHook')]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
# works on GPU (plain DDP) and on CPU/gloo (drops device_ids)
# the scope prefix is needed: the Runner looks the wrapper up with Registry.get, which
# ignores default_scope
model_wrapper_cfg = dict(type='hoverse.HoverseDistributedDataParallel')

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='HandObjectVisualizer', vis_backends=vis_backends, name='visualizer')

# window 1: DeferredRuntimeInfoHook writes one value per logging interval, its mean; the
# timer's per-iteration times are averaged over the interval too
log_processor = dict(
    type='IntervalLogProcessor', window_size=1, by_epoch=True, num_digits=6,
    custom_cfg=[dict(data_src='time', method_name='mean', window_size='interval'),
                dict(data_src='data_time', method_name='mean', window_size='interval')])
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
