# The quickstart model with the test-time hand-object fit (HandObjectFitter, an addition:
# docs/paper_fidelity.md): after the network, 40 steps move the hand and the object out of
# each other and the fingertips and palm into contact, held to D-BFAM's 2D keypoints and to
# the prediction. Test a quickstart checkpoint with it to see both sets of numbers.
_base_ = ['./hoverse_plus_r18_synthetic.py']
model = dict(test_cfg=dict(physical_fit=dict(type='HandObjectFitter')))
