"""`python -m streams.bench`: the same as `wirewatch bench`."""
import sys

from .run import run_bench

sys.exit(run_bench(sys.argv[1:]))
