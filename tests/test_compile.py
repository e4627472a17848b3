"""How the kernels are compiled (vcbound._engine._compile): 512-bit vectors on AVX-512 CPUs.

Independent expectations: the CPU's features as LLVM reads them (llvmlite) and the machine code
of a small loop (its registers); every kernel dispatcher must carry the wrapper's pipeline.
Results of the kernels do not depend on the width; the enumerator tests check them against exact
arithmetic.
"""

import numba
import numpy as np
import pytest
from llvmlite import binding

from vcbound._engine import _compile

#: Both register tests read the host CPU; NUMBA_CPU_FEATURES would override what numba targets.
FEATURES_SET = numba.core.config.CPU_FEATURES is not None
HOST_AVX512 = "+avx512f" in binding.get_host_cpu_features().flatten().split(",")


def _axpy(a, x, y):
    for i in range(x.shape[0]):
        y[i] = a * x[i] + y[i]


def _asm(decorator):
    kernel = decorator(_axpy)
    x = np.ones(1000, np.float32)
    y = np.zeros(1000, np.float32)
    kernel(np.float32(2.0), x, y)
    assert (y == 2.0).all()   # same result whatever the build
    return "".join(kernel.inspect_asm().values())


@pytest.mark.skipif(FEATURES_SET or not HOST_AVX512,
                    reason="the host CPU has no AVX-512, or NUMBA_CPU_FEATURES is set")
def test_kernels_use_512_bit_registers_on_avx512_hosts():
    assert _compile.WIDE_VECTORS
    assert "zmm" in _asm(_compile.njit)


@pytest.mark.skipif(FEATURES_SET or HOST_AVX512,
                    reason="the host CPU has AVX-512, or NUMBA_CPU_FEATURES is set")
def test_plain_numba_is_used_without_avx512():
    assert not _compile.WIDE_VECTORS
    assert "zmm" not in _asm(_compile.njit)


@pytest.mark.parametrize("module", ["_kernels", "_lanes", "_simd", "_rng"])
def test_every_kernel_is_compiled_through_the_wrapper(module):
    # a kernel decorated with numba.njit itself would silently lose the wide vectors
    import importlib
    mod = importlib.import_module(f"vcbound._engine.{module}")
    kernels = {name: obj for name, obj in vars(mod).items()
               if isinstance(obj, numba.core.registry.CPUDispatcher)
               and obj.py_func.__module__ == mod.__name__}
    assert kernels
    for name, kernel in kernels.items():
        expected = (_compile._PIPELINE if _compile.WIDE_VECTORS
                    and not kernel.targetoptions.get("parallel") else numba.core.compiler.Compiler)
        assert kernel._compiler.pipeline_class is expected, name


def test_parallel_functions_keep_numba_pipeline():
    # numba's parallel lowering is a different pass; the wrapper must leave it alone
    @_compile.njit(parallel=True)
    def total(x):
        s = 0.0
        for i in numba.prange(x.shape[0]):
            s += x[i]
        return s

    assert total(np.arange(100.0)) == 4950.0
