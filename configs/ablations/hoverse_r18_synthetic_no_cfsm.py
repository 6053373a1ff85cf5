# Ablation: without CFSM.
_base_ = ['../hoverse/hoverse_r18_synthetic.py']
model = dict(cfsm=None)
