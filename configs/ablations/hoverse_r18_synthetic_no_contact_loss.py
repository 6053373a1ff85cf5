# Ablation: without the contact loss.
_base_ = ['../hoverse/hoverse_r18_synthetic.py']
model = dict(interaction_head=dict(loss_contact=None))
