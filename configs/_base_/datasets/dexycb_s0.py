# Dex-YCB, setup s0 (official toolkit splits).
_base_ = ['./hand_object_pipelines.py']
dataset_type = 'DexYCBDataset'
data_root = 'data/dex_ycb'
mano_path = 'data/mano'
train_pipeline = _base_.train_pipeline
test_pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True, pin_memory='auto',
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='train',
                 mano_path=mano_path, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='test',
                 mano_path=mano_path, test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
