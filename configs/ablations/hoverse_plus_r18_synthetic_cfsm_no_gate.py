# Ablation: CFSM's cross attention only, without its gated fusion of D-BFAM's maps.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(cfsm=dict(use_gate=False))
