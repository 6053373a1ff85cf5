# Ablation: one shared backbone stream instead of separate hand and object streams.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(backbone=dict(shared_streams=True))
