# Ablation: without CFSM.
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(cfsm=None)
