"""Where each W[l] and b[l] lives in the flat parameter vector θ that the kernels train."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Layout:
    """θ holds W[1], b[1], W[2], b[2], … one after another, each W[l] (n[l], n[l-1]) row by row.

    dims (L + 1,) int64 = (n[0], …, n[L]); w_off, b_off (L + 1,): where W[l] and b[l] start (index 0 unused);
    size: the number of parameters.
    """

    dims: np.ndarray
    w_off: np.ndarray
    b_off: np.ndarray
    size: int

    @classmethod
    def of(cls, layer_dims):
        dims = np.asarray(layer_dims, dtype=np.int64)
        w_off = np.zeros(len(dims), dtype=np.int64)
        b_off = np.zeros(len(dims), dtype=np.int64)
        offset = 0
        for l in range(1, len(dims)):
            w_off[l] = offset
            offset += int(dims[l] * dims[l - 1])
            b_off[l] = offset
            offset += int(dims[l])
        for array in (dims, w_off, b_off):
            array.flags.writeable = False
        return cls(dims, w_off, b_off, offset)

    @property
    def L(self):
        return len(self.dims) - 1

    def weight_slice(self, l):
        """W[l]'s entries in θ."""
        return slice(int(self.w_off[l]), int(self.w_off[l] + self.dims[l] * self.dims[l - 1]))

    def bias_slice(self, l):
        """b[l]'s entries in θ."""
        return slice(int(self.b_off[l]), int(self.b_off[l] + self.dims[l]))

    def views(self, theta):
        """{"W1": (n[1], n[0]), "b1": (n[1], 1), …}: views into θ (writing them writes θ)."""
        params = {}
        for l in range(1, self.L + 1):
            n, n_prev = int(self.dims[l]), int(self.dims[l - 1])
            params[f"W{l}"] = theta[self.weight_slice(l)].reshape(n, n_prev)
            params[f"b{l}"] = theta[self.bias_slice(l)].reshape(n, 1)
        return params

    def flatten(self, params, dtype):
        """θ (size,) in ``dtype`` from a dict like ``views`` gives; raises ValueError on a wrong shape."""
        theta = np.zeros(self.size, dtype=dtype)
        for l in range(1, self.L + 1):
            for key, where, shape in ((f"W{l}", self.weight_slice(l), (int(self.dims[l]), int(self.dims[l - 1]))),
                                      (f"b{l}", self.bias_slice(l), (int(self.dims[l]), 1))):
                value = np.asarray(params[key], dtype=np.float64)
                if value.shape != shape:
                    raise ValueError(f"{key} must have shape {shape}; got {value.shape}.")
                theta[where] = value.ravel()
        return theta
