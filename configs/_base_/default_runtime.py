# Runtime shared by every hoverse config.
default_scope = 'hoverse'

default_hooks = dict(
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
# load or save); stop at the first NaN/inf loss, naming the term
custom_hooks = [dict(type='CheckpointIOHook'), dict(type='NaNGuardHook')]

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

log_processor = dict(type='LogProcessor', window_size=50, by_epoch=True, num_digits=6)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
