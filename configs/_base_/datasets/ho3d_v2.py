# HO3D v2 (official layout). Training on 'train'; the hidden 'evaluation' split is for
# submissions (root joint and hand box only).
_base_ = ['./hand_object_pipelines.py']
dataset_type = 'HO3Dv2Dataset'
data_root = 'data/HO3D_v2'
mano_path = 'data/mano'
models_root = 'data/YCB_models'
train_pipeline = _base_.train_pipeline
# the hidden evaluation split's boxes are given: crop at them
test_pipeline = [dict(t, use_given=True) if t['type'] == 'GetHandObjectBBox' else t
                 for t in _base_.test_pipeline]

train_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True, pin_memory='auto',
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, split='train', mano_path=mano_path,
                 models_root=models_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, split='evaluation',
                 mano_path=mano_path, models_root=models_root, test_mode=True,
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
