# Ablation: without the SDF penetration loss.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(interaction_head=dict(loss_sdf=None))
