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

# The real clock, kept where freezegun does not look (it replaces the functions held
# by module attributes): under a frozen, ticking day the main thread would read the
# fake clock and a monitor thread the real one.
_REAL = {'clock': time.perf_counter}


def clock():
    """Seconds of the real clock (frozen day or not)."""
    return _REAL['clock']()


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
        q0, s0, t0 = thread.query_count, thread.query_time, clock()
        try:
            yield self
        finally:
            self.seconds = clock() - t0
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


# What a run leaves in the database, counted as the rows created during the run
# (id above the largest id before it): the same tables for both tools, those of a
# tool that is not installed are left out.
OUTPUT_TABLES = [  # (table, label)
    ('mail_mail', 'e-mails'),
    ('mail_activity', 'to-dos'),
    ('debt_recovery_event', 'events'),
    ('debt_recovery_case', 'cases'),
    ('credit_control_line', 'credit lines'),
    ('credit_control_communication', 'communications'),
    ('mail_message', 'messages'),
    ('mail_tracking_value', 'tracking values'),
    ('mail_followers', 'followers'),
    ('ir_attachment', 'attachments'),
]
LABELS = dict(OUTPUT_TABLES)


def output_marks(cr):
    """The largest id of each output table, before a run."""
    marks = {}
    for table, __ in OUTPUT_TABLES:
        cr.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if cr.fetchone()[0]:
            cr.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            marks[table] = cr.fetchone()[0]
    return marks


def output_counts(cr, marks):
    """Rows created since ``marks``: one count per table, the messages by type and
    by model, the e-mail attachment links and the PDFs created."""
    out = {}
    for table, mark in marks.items():
        cr.execute(f'SELECT COUNT(*) FROM "{table}" WHERE id > %s', [mark])
        out[table] = cr.fetchone()[0]
    mark = marks.get('mail_message', 0)
    cr.execute("SELECT message_type, COUNT(*) FROM mail_message WHERE id > %s GROUP BY 1 ORDER BY 2 DESC", [mark])
    out['messages_by_type'] = dict(cr.fetchall())
    cr.execute("SELECT COALESCE(model, '-'), COUNT(*) FROM mail_message WHERE id > %s GROUP BY 1 ORDER BY 2 DESC",
               [mark])
    out['messages_by_model'] = dict(cr.fetchall())
    cr.execute("""SELECT COUNT(*) FROM message_attachment_rel r JOIN mail_mail m ON m.mail_message_id = r.message_id
                   WHERE m.id > %s""", [marks.get('mail_mail', 0)])
    out['email_attachment_links'] = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM ir_attachment WHERE id > %s AND mimetype = 'application/pdf'",
               [marks.get('ir_attachment', 0)])
    out['pdfs_created'] = cr.fetchone()[0]
    return out


def format_outputs(out):
    """``e-mails 1333, to-dos 1750, ..., messages 12000 (notification 10583, ...)``"""
    parts = []
    for table, label in OUTPUT_TABLES:
        if table not in out:
            continue
        text = f"{label} {out[table]}"
        if table == 'mail_message' and out.get('messages_by_type'):
            text += " (" + ", ".join(f"{k} {v}" for k, v in out['messages_by_type'].items()) + "; on " + \
                ", ".join(f"{k} {v}" for k, v in out.get('messages_by_model', {}).items()) + ")"
        parts.append(text)
    if out.get('email_attachment_links'):
        parts.append(f"attachments linked to the e-mails {out['email_attachment_links']}")
    if 'pdfs_created' in out:
        parts.append(f"PDFs created {out['pdfs_created']}")
    return ", ".join(parts)


def format_due(due):
    """What was due on the run's day, next to what is open."""
    parts = [f"day {due['day']}"] if due.get('day') else []
    if due.get('scheduled_invoices') is not None:
        parts.append(f"scheduled {due['scheduled_invoices']} invoices of {due['scheduled_debtors']} debtors")
    if due.get('reminded_invoices') is not None:
        parts.append(f"reminded {due['reminded_invoices']} invoices of {due['reminded_debtors']} debtors"
                     + (f" in {due['messages']} messages" if due.get('messages') is not None else ''))
    if due.get('credit_lines') is not None:
        parts.append(f"{due['credit_lines']} credit lines (invoices reaching a level) of "
                     f"{due['credit_partners']} partners")
    parts.append(f"open {due['open_invoices']} invoices of {due['open_debtors']} debtors")
    if due.get('still_due_after'):
        parts.append(f"still scheduled after the run {due['still_due_after']}")
    if due.get('failed_events'):
        parts.append(f"{due['failed_events']} failed")
    return "; ".join(parts)


def open_invoices(cr):
    """Posted customer invoices not paid (Odoo's own columns)."""
    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT commercial_partner_id) FROM account_move
                   WHERE move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')""")
    return cr.fetchone()


@contextmanager
def frozen_day(day):
    """Python's clock on ``day`` (10:00 UTC, the same date in Europe), still ticking,
    so that durations stay real. PostgreSQL's clock does not move: neither engine
    reads the date from it (both take "today" from Python)."""
    from datetime import datetime, time as dtime

    from freezegun import freeze_time
    with freeze_time(datetime.combine(day, dtime(10, 0)), tick=True):
        yield


def report(name, n, value, unit='', note=''):
    """Print one figure and append it to bench/out/results.jsonl."""
    if isinstance(value, dict) and 'mail_message' in value:
        text = format_outputs(value)
    elif isinstance(value, dict) and 'open_invoices' in value:
        text = format_due(value)
    elif isinstance(value, dict):
        text = json.dumps(value)
    else:
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


class Watchdog:
    """Every minute, from another connection, the counters of what a run created so
    far (sequences are not transactional): ``progress(elapsed, deltas)`` says them;
    past ``limit`` seconds ``abandon(elapsed, deltas)`` reports the run as not
    finished and the process exits with status 3."""

    sequences = ()

    def __init__(self, db, limit):
        self.db, self.limit = db, limit
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _counts(self):
        from odoo.sql_db import db_connect
        with db_connect(self.db).cursor() as cr:
            cr.execute("SELECT %s" % ", ".join("(SELECT last_value FROM %s)" % seq for seq in self.sequences))
            return cr.fetchone()

    def __enter__(self):
        self.first, self.t0 = self._counts(), clock()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()

    def _loop(self):
        while not self.stop.wait(60):
            elapsed = clock() - self.t0
            deltas = [b - a for a, b in zip(self.first, self._counts())]
            self.progress(elapsed, deltas)
            if self.limit and elapsed > self.limit and not self.stop.is_set():
                self.abandon(elapsed, deltas)
                os._exit(3)

    def progress(self, elapsed, deltas):
        raise NotImplementedError

    def abandon(self, elapsed, deltas):
        raise NotImplementedError
