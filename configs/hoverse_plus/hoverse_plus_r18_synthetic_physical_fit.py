# The quickstart model with the test-time hand-object fit (HandObjectFitter, an addition:
# docs/paper_fidelity.md): after the network, 80 steps move the object (and the hand's
# root) out of the hand and against its fingertips and palm, held to D-BFAM's 2D keypoints
# and to the prediction; the hand keeps its articulation (HandObjectFitter's defaults,
# chosen on the quickstart checkpoint's validation samples: docs/benchmarks.md, "Test-time
# physical fit"). Test a quickstart checkpoint with it to see both sets of numbers.
_base_ = ['./hoverse_plus_r18_synthetic.py']
model = dict(test_cfg=dict(physical_fit=dict(type='HandObjectFitter')))
