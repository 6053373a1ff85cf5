# Ablation: D-BFAM without its local hand-object contact graph convolution.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(dbfam=dict(use_contact=False))
