# Ablation: D-BFAM without its local hand-object contact graph convolution.
_base_ = ['../hoverse/hoverse_r18_synthetic.py']
model = dict(dbfam=dict(use_contact=False))
