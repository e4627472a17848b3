"""``python -m vcbound enumerate``: Monte Carlo count of the labellings ReLU networks realize on
the grid S~ (vcbound docs §Construction), with the convergence checks of vcbound docs §One-neuron counts.

Ctrl-C stops after the current batch and prints what was found (flagged interrupted, exit
status 130); with ``--checkpoint`` the run can be resumed later with the same command.
"""

NAME = "enumerate"
HELP = "Monte Carlo count of the labellings ReLU networks realize on the grid S~"

_EPILOG = """examples:
  python -m vcbound enumerate --d 3 --K 4 --widths 2,4,1 --samples 1e6
  python -m vcbound enumerate --d 3 --eps 0.1 --widths 2,16,1 --samples 1e7 --checkpoint run.npz
  python -m vcbound enumerate --d 4 --K 2 --widths 3,1 --samples 1e5 --sampler gaussian \
      --format json
  python -m vcbound enumerate --d 3 --K 4 --widths 2,4,1 --samples 1e6 --plot saturation.png
  python -m vcbound enumerate --d 3 --K 4 --widths 2,4,1 --samples 1e8 --scheduler local:2 \
      --checkpoint run.npz
  python -m vcbound enumerate --d 3 --K 4 --widths 2,4,1 --samples 1e10 \
      --scheduler tcp://10.0.0.5:8786 --checkpoint run.npz

--scheduler runs the networks as shard tasks on Dask (pip install "vcbound[distributed]"):
local:N starts N worker processes here, tcp://HOST:PORT uses a running scheduler (`dask scheduler`
prints its address; every worker needs the same vcbound). The result is the same as without.

The first width is the grid's dimension d - 1. The count is a certified lower bound on the number
of labellings the architecture realizes on the grid; it is flagged unconverged when it is below
the exact one-neuron count (every net with a hidden unit realizes all linear dichotomies)."""


def add_arguments(parser):
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument("--d", required=True, metavar="D",
                        help="input dimension d >= 2 (the grid has d - 1 coordinates)")
    parser.add_argument("--K", metavar="K", help="grid values per axis (K >= 1)")
    parser.add_argument("--eps", metavar="EPS",
                        help="robustness radius in (0, 1/2] instead of --K: K = floor(1/(2 eps)), "
                             "eps read exactly as typed")
    parser.add_argument("--widths", required=True, metavar="D0,K1,...,1",
                        help="layer widths: d - 1 inputs, ReLU hidden layers, one output "
                             "(e.g. 2,16,1; a single neuron is 2,1)")
    parser.add_argument("--samples", required=True, metavar="N",
                        help="number of networks to sample, e.g. 1e6 (with --checkpoint: the "
                             "total, including networks already in the checkpoint)")
    parser.add_argument("--sampler", default="data", metavar="NAME",
                        help="data (default: hyperplanes through the data's bounding box) or "
                             "gaussian (He initialisation)")
    parser.add_argument("--seed", default="0", metavar="S",
                        help="random seed in [0, 2^64) (default 0); the same seed gives the same "
                             "result")
    parser.add_argument("--checkpoint", metavar="FILE",
                        help=".npz checkpoint: resumed from if it exists, written every "
                             "--checkpoint-every seconds and at the end")
    parser.add_argument("--checkpoint-every", default="60", metavar="SEC",
                        help="seconds between checkpoint writes (default 60)")
    parser.add_argument("--batch-size", metavar="B",
                        help="networks per batch (one saturation point per batch)")
    parser.add_argument("--threads", default="1", metavar="T",
                        help="numba threads (default 1; results do not depend on it)")
    parser.add_argument("--exact", default="auto", choices=("auto", "yes", "no"),
                        help="compute the exact one-neuron count for the convergence check: "
                             "auto (when cheap, default), yes, no")
    parser.add_argument("--save-patterns", metavar="FILE",
                        help="write all distinct labellings (uint64 pattern array, numpy .npy "
                             "format) to FILE, under exactly that name")
    parser.add_argument("--shard-size", metavar="N",
                        help="with --scheduler: networks per shard task, rounded up to whole "
                             "batches (default: about 8 shards per worker)")
    from ._common import add_progress_argument, add_scheduler_argument

    add_scheduler_argument(parser, "the networks")
    add_progress_argument(parser)
    parser.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="also draw the saturation curve (distinct labellings against "
                             "networks sampled, with the exact one-neuron count, the best "
                             "certified upper bound and 2^n) into FILE.png (.pdf, .svg); needs "
                             "matplotlib: pip install \"vcbound[plot]\"")


def run(args):
    import json
    import sys

    import numpy as np

    from .._validation import check_integer
    from ..enumerate import enumerate_labellings
    from ..errors import VCBoundError
    from ..grid import make_grid
    from ._common import parse_int_list, parse_number

    if args.plot:
        from ._common import check_plot_path

        check_plot_path(args.plot)
    d = check_integer("d", parse_number("d", args.d), 2)
    if (args.K is None) == (args.eps is None):
        raise VCBoundError("Give exactly one of --K and --eps (K = floor(1/(2 eps))).")
    grid = (make_grid(d, K=parse_number("K", args.K)) if args.K is not None
            else make_grid(d, eps=args.eps))
    widths = parse_int_list("widths", args.widths)
    if widths[0] != grid.d - 1:
        raise VCBoundError(f"The first width must be d - 1 = {grid.d - 1} (the grid's "
                           f"dimension), not {widths[0]} in --widths {args.widths}.")
    from .._guard import check_output_path, write_atomically

    if args.save_patterns is not None:   # checked before the run, not after it
        check_output_path("--save-patterns", args.save_patterns, ".npy file")
    samples = check_integer("samples", parse_number("samples", args.samples), 1)
    seed = check_integer("seed", parse_number("seed", args.seed), 0, 2**64 - 1)
    every = parse_number("checkpoint-every", args.checkpoint_every)
    batch = None if args.batch_size is None else parse_number("batch-size", args.batch_size)
    threads = parse_number("threads", args.threads)
    shard_size = (None if args.shard_size is None
                  else parse_number("shard-size", args.shard_size))
    from ._common import progress_choice, scheduler_choice

    scheduler = scheduler_choice(args)
    if shard_size is not None and scheduler is None:
        raise VCBoundError("Option --shard-size applies with --scheduler only.")

    progress = progress_choice(args)
    progress = sys.stderr.isatty() if progress is None else progress
    exact = {"auto": "auto", "yes": True, "no": False}[args.exact]
    import contextlib

    if scheduler is None:
        engine = contextlib.nullcontext(None)
    else:
        from .._engine._distributed import open_client

        engine = open_client(scheduler)
    with engine as client:
        result = enumerate_labellings(
            widths, grid, samples, seed=seed, sampler=args.sampler, batch_size=batch,
            threads=threads, checkpoint=args.checkpoint, checkpoint_every=every,
            progress=progress, return_patterns=args.save_patterns is not None, exact=exact,
            client=client, shard_size=shard_size)
    if args.save_patterns is not None:   # under exactly the name given (np.save adds .npy)
        write_atomically("--save-patterns", args.save_patterns,
                         lambda fh: np.save(fh, result.patterns, allow_pickle=False))
    if args.format == "json":
        out = result.to_dict()
        out.update(d=grid.d, K=grid.K)
        print(json.dumps(out, indent=1))
    else:
        print(f"grid: d = {grid.d}, K = {grid.K}, n = {grid.n} points")
        print(result)
        if result.interrupted:
            print("interrupted: counts cover the networks sampled so far"
                  + (f"; resume with the same command (checkpoint {args.checkpoint})"
                     if args.checkpoint else ""))
    if args.plot:
        from ..plotting import plot_saturation
        from ._common import write_plot

        write_plot(plot_saturation(result), args.plot)
    return 130 if result.interrupted else 0
