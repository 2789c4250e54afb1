"""Helpers shared by the benchmark scripts: start Odoo on one database, count
queries, read memory, print figures in the ``name N=...: value`` form and keep
them in bench/out/results.jsonl for the summary."""
import argparse
import json
import os
import resource
import sys
import threading
import time
from contextlib import contextmanager

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'out')


def parse_args(extra=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--db', required=True)
    parser.add_argument('--addons-path', required=True)
    parser.add_argument('--n', type=int, required=True, help="number of invoices of the dataset")
    for args, kwargs in extra or []:
        parser.add_argument(*args, **kwargs)
    return parser.parse_args()


def boot(args):
    """Start Odoo (no HTTP) on ``args.db``; return the registry."""
    import odoo  # noqa: F401
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([
        '-d', args.db, '--addons-path', args.addons_path, '--log-level', 'warn',
        '--log-handler', 'odoo.tools.translate:ERROR', '--no-http',
    ], setup_logging=True)
    return Registry(args.db)


def rss_mb():
    """Current resident memory of this process (MB)."""
    with open('/proc/self/statm') as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2**20


def peak_rss_mb():
    """Peak resident memory of this process since it started (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Measure:
    """Wall time, SQL queries (every cursor of this thread) and SQL time of a block."""

    def __init__(self):
        self.seconds = self.queries = self.sql_seconds = 0

    @contextmanager
    def __call__(self):
        thread = threading.current_thread()
        thread.query_count = getattr(thread, 'query_count', 0)
        thread.query_time = getattr(thread, 'query_time', 0.0)
        q0, s0, t0 = thread.query_count, thread.query_time, time.perf_counter()
        try:
            yield self
        finally:
            self.seconds = time.perf_counter() - t0
            self.queries = thread.query_count - q0
            self.sql_seconds = thread.query_time - s0


@contextmanager
def profiled(path):
    """cProfile the block into ``path`` when ``path`` is set."""
    if not path:
        yield
        return
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)
        with open(path + '.txt', 'w') as f:
            stats = pstats.Stats(profiler, stream=f)
            stats.sort_stats('cumulative').print_stats(60)
            stats.sort_stats('tottime').print_stats(40)


def report(name, n, value, unit='', note=''):
    """Print one figure and append it to bench/out/results.jsonl."""
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    line = f"{name} N={n}: {text}{(' ' + unit) if unit else ''}{('  (' + note + ')') if note else ''}"
    print(line, flush=True)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, 'results.jsonl'), 'a') as f:
        f.write(json.dumps({'run': os.environ.get('BENCH_RUN_ID', ''), 'name': name, 'n': n,
                            'value': value, 'unit': unit, 'note': note,
                            'at': time.strftime('%Y-%m-%d %H:%M:%S')}) + '\n')


def say(text):
    print(text, flush=True)


def die(text):
    print(f"ERROR: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


if __name__ == '__main__':
    # from the shell: python bench/benchlib.py NAME N VALUE [UNIT [NOTE]]
    name, n, value, *rest = sys.argv[1:]
    try:
        value = float(value) if '.' in value else int(value)
    except ValueError:
        pass
    report(name, int(n), value, *rest)
