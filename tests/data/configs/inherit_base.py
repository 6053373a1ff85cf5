model = dict(
    type='Reconstructor',
    backbone=dict(type='ResNet', depth=50, out_indices=(1, 2, 3)),
    head=dict(type='HeadA', loss=dict(type='L1', weight=1.0), channels=256))
lr = 1e-3
