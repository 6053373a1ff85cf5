# Ablation: without D-BFAM (heads use pooled features only).
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(dbfam=None, mano_head=dict(use_kpt_feats=False, use_kpt_coords=False),
             object_head=dict(use_kpt_feats=False, use_kpt_coords=False))
