# Ablation: object losses against the raw ground-truth pose, ignoring object symmetries.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(object_head=dict(symmetry=None))
