"""How vcbound's numba kernels are compiled (internal): options numba's ``njit`` does not offer.

Imported only by the kernel modules (:mod:`._kernels`, :mod:`._lanes`, :mod:`._simd`,
:mod:`._rng`), never by ``import vcbound``. Two options, both of which change speed, never
results:

:data:`NOALIAS`
    numba's compiler flag ``noalias`` (array arguments do not overlap) as an ``njit`` option,
    for kernels whose callers always pass distinct arrays or disjoint rows of one.
:func:`njit`
    ``numba.njit`` that, on CPUs with AVX-512, compiles each function with the LLVM function
    attributes ``"prefer-vector-width"="512"`` and ``"min-legal-vector-width"="512"``
    (:data:`WIDE_VECTORS` says whether it does).

Why 512-bit vectors must be asked for
-------------------------------------
LLVM tunes most Intel CPUs with AVX-512 (Skylake-SP through Sapphire Rapids, and the
Rocket Lake model number that some hypervisors report for them) to *prefer 256-bit vectors*
(its tuning flag ``prefer-256-bit``), because 512-bit instructions once lowered the clock of
whole chips. numba compiles for the host CPU with LLVM's defaults, so on such a CPU every
vectorised loop of the kernels ran on 256-bit registers, and the explicit ``<16 x float>``
code of :mod:`._simd` was split into two halves: half the arithmetic per instruction on
CPUs with two 512-bit FMA units. LLVM's tuning for AMD's Zen 4 has no such preference, which
is why the kernels tuned there lost about a quarter of their speed on an Intel machine.

The attributes are set per function, so only vcbound's kernels are affected, not the user's
other numba code (``NUMBA_CPU_FEATURES=...,-prefer-256-bit`` would change every function of
the process). numba has no option for function attributes: :func:`njit` passes a compiler
pipeline (``pipeline_class``) whose native-lowering pass uses a lowering class that adds them to
the function being lowered. Functions inlined at numba's level (``inline="always"``) and
``@intrinsic`` code are emitted into their caller and get its attributes.

Results do not depend on the vector width: no kernel allows reassociation (fast-math flags
without ``reassoc``; :mod:`._simd` spells out each FMA chain), so every sum is computed in the
same order whatever the width, and the tests compare the kernels against exact arithmetic.
Measured on a Sapphire Rapids class Xeon (LLVM's host name: ``rocketlake``), one thread, whole
generator, data sampler: n = 64 points [2, 4, 1] 83 -> 63 ns per network, [2, 16, 1] 216 ->
164 ns, [2, 16, 16, 1] 1040 -> 881 ns; n = 256, [2, 4, 1] 191 -> 150 ns, [2, 16, 16, 1] 2080
-> 1770 ns. The sign patterns of 60 config/sampler pairs were identical in both builds.

Both options fall back to plain numba (same results, slower kernels) when numba's internals
they rely on are missing.
"""

import numba

__all__ = ["NOALIAS", "WIDE_VECTORS", "njit"]

#: The LLVM function attributes set on every kernel where the CPU has AVX-512.
_WIDE_ATTRIBUTES = ('"prefer-vector-width"="512"', '"min-legal-vector-width"="512"')


def _noalias_option():
    """``{"noalias": True}`` if numba's compiler flag ``noalias`` (array arguments do not
    overlap; numba sets it itself for parallel loops) can be exposed as an ``njit`` option in
    this numba version, else ``{}`` (same results, slower kernels)."""
    try:
        from numba.core import cpu, options
        if not hasattr(cpu.CPUTargetOptions, "noalias"):
            cpu.CPUTargetOptions.noalias = options.TargetOptions.Mapping("noalias")
        return {"noalias": True}
    except (ImportError, AttributeError):  # pragma: no cover - other numba versions
        return {}


#: njit option of kernels whose array arguments never overlap (every caller passes distinct
#: arrays or disjoint rows of one): the lane kernels of :mod:`._lanes` and
#: :func:`._kernels._forward`. Without it LLVM guards each vectorised loop with run-time overlap
#: checks of every pair of arrays, which on 64-lane loops cost about as much as the loop
#: (measured on the whole block: n = 64, [2, 16, 1] 185 -> 165 ns per network, n = 256,
#: [2, 4, 1] 131 -> 109 ns).
NOALIAS = _noalias_option()


def _target_has_avx512():
    """Whether numba compiles for a CPU with AVX-512 (the host's features, or the ones set by
    ``NUMBA_CPU_FEATURES``, as numba's own code generator takes them)."""
    from numba.core import config
    features = config.CPU_FEATURES
    if features is None:
        from llvmlite import binding
        features = binding.get_host_cpu_features().flatten()
    return "+avx512f" in features.split(",")


def _wide_pipeline():
    """A numba compiler pipeline class whose functions carry :data:`_WIDE_ATTRIBUTES`, or
    None when the target has no AVX-512 or numba's internals differ."""
    try:
        if not _target_has_avx512():
            return None
        from numba.core import lowering, typed_passes
        from numba.core.compiler import CompilerBase, DefaultPassBuilder
        from numba.core.compiler_machinery import register_pass
    except (ImportError, AttributeError):  # pragma: no cover - other numba/llvmlite versions
        return None

    class WideLower(lowering.Lower):
        def pre_lower(self):
            super().pre_lower()
            attributes = self.builder.function.attributes
            for attribute in _WIDE_ATTRIBUTES:
                # llvmlite checks names against its list of keyword attributes; string
                # attributes ("key"="value") are valid LLVM IR but not on that list
                set.add(attributes, attribute)

    @register_pass(mutates_CFG=True, analysis_only=False)
    class WideNativeLowering(typed_passes.NativeLowering):
        _name = "vcbound_wide_native_lowering"

        @property
        def lowering_class(self):
            return WideLower

    class WidePipeline(CompilerBase):
        def define_pipelines(self):
            pm = DefaultPassBuilder.define_nopython_pipeline(self.state)
            pm.passes = [(WideNativeLowering if cls is typed_passes.NativeLowering else cls, desc)
                         for cls, desc in pm.passes]
            pm.finalize()
            return [pm]

    return WidePipeline


_PIPELINE = _wide_pipeline()

#: Whether :func:`njit` compiles with 512-bit vectors preferred (a CPU with AVX-512).
WIDE_VECTORS = _PIPELINE is not None


def njit(*args, **options):
    """``numba.njit`` with 512-bit vectors preferred on CPUs with AVX-512 (see the module
    docstring); same arguments. Functions compiled with ``parallel=True`` are left to numba's
    own pipeline (their parallel lowering is another pass; vcbound's only parallel function
    just hands out ranges to serial kernels)."""
    if WIDE_VECTORS and not options.get("parallel"):
        options.setdefault("pipeline_class", _PIPELINE)
    return numba.njit(*args, **options)
