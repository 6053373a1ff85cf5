# Ablation: CFSM's gated fusion only, without its hand <-> object cross attention.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(cfsm=dict(use_attention=False))
