_base_ = ['./inherit_base.py']
model = dict(
    backbone=dict(depth=18),
    head=dict(_delete_=True, type='HeadB', hidden=64))
lr = 2e-4
