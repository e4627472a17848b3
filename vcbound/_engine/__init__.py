"""The engine room behind vcbound's public modules (private; no stable API).

The public modules (:mod:`vcbound.grid`, :mod:`vcbound.double_counting`, :mod:`vcbound.sauer`,
:mod:`vcbound.capacity`, :mod:`vcbound.solver`, :mod:`vcbound.exact`, :mod:`vcbound.enumerate`,
...) state the proof chain and validate their input; the modules here only do the heavy work they
hand over, in the manner of galois' private ``_domains``/``_fields`` packages:

``_compile``
    The numba ``njit`` wrapper every kernel is compiled through (512-bit vectors where the CPU
    has AVX-512).
``_rng``
    The counter-based random streams of the Monte Carlo enumerator (network ``t`` of seed ``s``
    draws only from the stream of ``(s, t)``).
``_simd``
    Hand-written vector kernels (LLVM IR) for the products of the enumerator.
``_kernels``
    The per-network pass of the enumerator and its float32 rounding certificate.
``_lanes``
    The same pass for 64 networks at once, one per SIMD lane.
``_checkpoint``
    Atomic, structure-checked ``.npz`` checkpoints (no pickles).
``_symmetry``
    Automorphism groups of point sets and the prefix stabilisers of box groups (exact counts).
``_orbits``
    The orbit-weighted deletion–restriction of the exact counts (numba kernels and the
    level-by-level engine).
``_incremental``
    The plain deletion–restriction of the exact counts (method 'incremental') as compiled
    fixed-rank kernels, rank 5 down to the planar formula; independent of ``_orbits``.
``_shards``
    Sharded orbit counts: the serial top, the frontier cut into shards, serial or Dask runs of
    the shards, their checkpoints.
``_distributed``
    Dask as the distributed engine (schedulers, clients, sharded runs); imports dask only when
    a client or scheduler is asked for (the ``distributed`` extra).

Importing this package imports nothing; numba is loaded only when a kernel module is, which
the public modules do on first use (``import vcbound`` never does).
"""
