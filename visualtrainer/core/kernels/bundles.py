"""The kernels' arguments, bundled: what the network is, the data, the optimiser, the trained state, one run.

Plain named tuples of arrays and numbers: Numba compiles a kernel once per combination of their field types, so a
float32 picture network and a float64 two-feature network each compile only what they use.
"""

from collections import namedtuple

#: The network's shape. dims (L + 1,) = (n[0], …, n[L]); w_off, b_off (L + 1,): where W[l] and b[l] start in θ
#: (W[l] row by row); acts (L,): activation codes, the last the output's; loss: CROSS_ENTROPY or MSE.
Spec = namedtuple("Spec", "dims w_off b_off acts loss")

#: Wide inputs: XT (m, n_x), one row per example (uint8 pixels or floats), scaled by ``scale`` as read; Y (n_y, m);
#: ``tile`` features per unit of work; K (m, m): the scaled examples' Gram matrix XᵀX, or (0, 0) where training is
#: not to use it (``kernels.gram``).
WideData = namedtuple("WideData", "XT Y scale tile K")

#: Narrow inputs: X (n_x, m) in the parameters' dtype, one column per example; Y (n_y, m); ``block`` examples per
#: unit of work.
NarrowData = namedtuple("NarrowData", "X Y block")

#: The optimiser's settings (float64): code (GD, MOMENTUM, RMSPROP, ADAM), α, β1, β2, ε, and the regularisation
#: terms' λ2 (½λ2/m·Σ‖W‖²) and λ1 (λ1/m·Σ|W|).
Optimizer = namedtuple("Optimizer", "code lr beta1 beta2 eps l2 l1")

#: What training changes, double-buffered: theta, v, s (2, P) (parameters, momentum's and RMSProp's averages;
#: row ``info[CURRENT]`` is the current one) and info (int64): see ``CURRENT``, ``UPDATES``, ``HAS_PREVIOUS``.
State = namedtuple("State", "theta v s info")
CURRENT, UPDATES, HAS_PREVIOUS = range(3)

#: One call of the training loop. order (k, m): each epoch's order of examples (row e mod k for epoch e);
#: batch: 0 for the full batch; tol, blowup: stopping rules; interrupt (1,) int64: set from another thread to end the
#: call at the next step; first: the iteration count before the call; trace_every, trace (t, P): θ after every
#: iteration that is a multiple of it; costs, gnorms (n,): one per iteration, and n the iterations asked for;
#: out (int64): see ``RAN``, ``REASON``, ``RECORDED``, ``ROLLED_BACK``.
Run = namedtuple("Run", "order batch tol blowup interrupt first trace_every trace costs gnorms out")
#: ``Run.out``: iterations whose updates are kept (−1 when a roll-back undid the previous call's last), why the call
#: returned, how many of ``costs`` it wrote, and whether the parameters were rolled back one step.
RAN, REASON, RECORDED, ROLLED_BACK = range(4)

#: Why a call of the loop returned.
RAN_ALL, INTERRUPTED, CONVERGED, NONFINITE_COST, NONFINITE_PARAMS, BLEW_UP = range(6)

#: Work space the team shares in one call. marks (threads,): the stage each thread last wrote its ``parts`` in
#: (narrow); parts: partial sums, wide: each tile's share of Z[1] (tiles, n[1], mb), narrow: each thread's gradient
#: (threads, P); losses (threads,);
#: grad (P,); totals (5,) float64; tile_sq, tile_ok (tiles,): a tile's regularisation term (½λ2·Σ‖W‖² + λ1·Σ|W|) or
#: Σg², whether its update is finite;
#: dZ1 (n[1]·mb,) and yb (n[L]·mb,): a batch's dZ[1] and labels; z, a, d1, d2: the serial part's batch buffers
#: (``kernels.network``). Flat, so that a batch's matrices are contiguous views: loops over them vectorise.
#: outputs (n[L], m): A[L] of every example, for a forward pass alone; units (threads,) int64: the units each
#: thread did (how well the team shares the work); gram (3 + traces, n[1], m) or empty: ``kernels.gram``'s C of each
#: buffer, W0·X and the C of each traced θ.
Shared = namedtuple("Shared", "marks parts losses grad totals tile_sq tile_ok dZ1 z a d1 d2 yb outputs units gram")
