_base_ = ['../../../configs/_base_/default_runtime.py']

custom_imports = dict(imports=['hoverse_toy_plugin'], allow_failed_imports=False)

model = dict(type='ToyRegressor')
_data = dict(type='ToyDataset', size=64)
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'), dataset=_data)
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'), dataset=_data)
test_dataloader = val_dataloader
val_evaluator = dict(type='ToyMSEMetric')
test_evaluator = val_evaluator

train_cfg = dict(by_epoch=False, max_iters=8, val_interval=4)
val_cfg = dict()
test_cfg = dict()
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[6], gamma=0.1)]

default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=4, by_epoch=False, save_best='toy/mse', rule='less'))
custom_hooks = [
    dict(type='NaNGuardHook'), dict(type='DumpRankWeightsHook'), dict(type='SelfKillHook')
]
log_processor = dict(by_epoch=False)
