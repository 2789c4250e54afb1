"""Real processes on a real, committed database, for the robustness tests.

Two halves in one file:

* the test side (imported by the tests): scratch databases cloned from the test
  database, Odoo worker processes started from this very file, an Odoo HTTP
  server, plain SQL to check what was committed;
* the runner side (``python process_helpers.py '<json spec>'``): bootstraps Odoo
  on the scratch database and runs one action (seed data, run the scheduled
  action like a cron worker, click Relancer as a user). It prints ``@@<name>
  <json>`` lines on stdout: markers the test waits for, and the result.

Test-only slow-downs (gates, sleeps) are monkeypatched into the runner process,
never into the module.
"""
import contextlib
import itertools
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

MODULE = 'l10n_fr_debt_recovery'
SALE_BRIDGE = 'l10n_fr_debt_recovery_sale'
# The template databases scripts/common.sh builds (same names and defaults):
# accounting + French chart + Sales (the test database's), and the same without Sales.
BASE_TEMPLATE_DB = os.environ.get('BASE_TEMPLATE_DB', 'ldr_base_account_fr_sale')
ACCOUNT_TEMPLATE_DB = os.environ.get('ACCOUNT_TEMPLATE_DB', 'ldr_base_account_fr')
MARK = '@@'
_counter = itertools.count(1)


# =============================================================================
# Test side
# =============================================================================
def odoo_cli_args():
    """Database and addons options of the running test process, for child processes."""
    from odoo.tools import config
    args = []
    addons = config['addons_path']
    if addons:
        args.append('--addons-path=%s' % (addons if isinstance(addons, str) else ','.join(addons)))
    for key in ('db_host', 'db_port', 'db_user', 'db_password', 'data_dir'):
        if config.get(key):
            args.append('--%s=%s' % (key.replace('_', '-'), config[key]))
    return args


@contextlib.contextmanager
def sql(dbname, autocommit=True):
    """A plain psycopg2 cursor on ``dbname`` (never Odoo's pool of the test process)."""
    import psycopg2
    from odoo.sql_db import connection_info_for
    __, info = connection_info_for(dbname)
    cnx = psycopg2.connect(**info)
    cnx.autocommit = autocommit
    try:
        with cnx.cursor() as cr:
            yield cr
    finally:
        cnx.close()


def fetch(dbname, query, params=None):
    with sql(dbname) as cr:
        cr.execute(query, params)
        return cr.fetchall()


def _create_db(name, template):
    with sql('postgres') as cr:
        cr.execute('CREATE DATABASE "%s" ENCODING \'unicode\' TEMPLATE "%s"' % (name, template))


def drop_db(name):
    """Drop a scratch database: kill its sessions first (only ever our own processes)."""
    from odoo.tools import config
    with sql('postgres') as cr:
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = %s AND pid != pg_backend_pid()", [name])
        cr.execute('DROP DATABASE IF EXISTS "%s"' % name)
    shutil.rmtree(config.filestore(name), ignore_errors=True)


def clone_test_db(prefix):
    """A committed copy of the test database (module installed, nothing else).

    Cheap way (what Odoo's database manager does to duplicate): close the test
    process's idle connections to the test database and CREATE DATABASE ...
    TEMPLATE it. If something else holds a connection to it, fall back to a copy
    of the base template with the module installed by odoo-bin.
    """
    import odoo
    from odoo.tools import config
    source = odoo.tests.common.get_db_name()
    name = '%s_%s_%s' % (prefix, os.getpid(), next(_counter))
    drop_db(name)
    for attempt in range(5):
        odoo.sql_db.close_db(source)
        try:
            _create_db(name, source)
            break
        except Exception:  # noqa: BLE001 - "source database is being accessed by other users"
            time.sleep(0.3 * (attempt + 1))
    else:
        _install_from_base_template(name)
        return name
    from_fs, to_fs = config.filestore(source), config.filestore(name)
    if os.path.isdir(from_fs):
        shutil.copytree(from_fs, to_fs, copy_function=os.link, dirs_exist_ok=True)
    return name


def copy_db(template, prefix):
    """A copy of a scratch database nobody is connected to (a fraction of a second)."""
    from odoo.tools import config
    name = '%s_%s_%s' % (prefix, os.getpid(), next(_counter))
    drop_db(name)
    _create_db(name, template)
    from_fs, to_fs = config.filestore(template), config.filestore(name)
    if os.path.isdir(from_fs):
        shutil.copytree(from_fs, to_fs, copy_function=os.link, dirs_exist_ok=True)
    return name


def _install_from_base_template(name):
    install_module(name, BASE_TEMPLATE_DB)


def install_module(name, template):
    """A new database ``name``, copy of the template database ``template``, where
    ``odoo -i`` installs the module (with the addons path of this process); returns
    the server's log (warnings and errors)."""
    if not fetch('postgres', "SELECT 1 FROM pg_database WHERE datname = %s", [template]):
        raise RuntimeError("no template database %s: scripts/test.sh builds it (ensure_base_template "
                           "in scripts/common.sh)" % template)
    _create_db(name, template)
    with tempfile.TemporaryFile(mode='w+') as log:
        rc = subprocess.call(
            [sys.executable, '-m', 'odoo', 'server', *odoo_cli_args(), '-d', name, '-i', MODULE,
             '--stop-after-init', '--log-level=warn', '--http-interface=127.0.0.1', '--max-cron-threads=0'],
            stdout=log, stderr=subprocess.STDOUT, timeout=300)
        log.seek(0)
        output = log.read()
    if rc:
        raise RuntimeError("installing %s into %s failed:\n%s" % (MODULE, name, output[-4000:]))
    return output


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class OdooProcess:
    """One runner process: ``action`` with ``params`` on database ``db``."""

    def __init__(self, db, action, **params):
        self.name = action
        spec = {'db': db, 'action': action, 'params': params, 'odoo_args': odoo_cli_args()}
        self.stderr = tempfile.TemporaryFile(mode='w+')
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), json.dumps(spec)],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, start_new_session=True)
        self.lines = queue.Queue()
        self.markers = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith(MARK):
                name, __, payload = line[len(MARK):].strip().partition(' ')
                self.markers[name] = json.loads(payload) if payload else None
                self.lines.put(name)
        self.lines.put(None)

    def log_tail(self, size=6000):
        self.stderr.seek(0)
        return self.stderr.read()[-size:]

    def wait_for(self, marker, timeout=60):
        """Block until the runner prints ``marker``; fail (never hang) otherwise."""
        deadline = time.monotonic() + timeout
        while marker not in self.markers:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("%s: no %r within %ss\n%s" % (self.name, marker, timeout, self.log_tail()))
            try:
                if self.lines.get(timeout=remaining) is None and marker not in self.markers:
                    self.proc.wait(timeout=10)
                    raise AssertionError("%s exited (rc=%s) before %r\n%s" % (
                        self.name, self.proc.returncode, marker, self.log_tail()))
            except queue.Empty:
                continue
        return self.markers[marker]

    def result(self, timeout=120):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("%s did not finish within %ss\n%s" % (self.name, timeout, self.log_tail()))
        self.reader.join(timeout=10)
        if self.proc.returncode != 0 or 'result' not in self.markers:
            raise AssertionError("%s failed (rc=%s)\n%s" % (self.name, self.proc.returncode, self.log_tail()))
        return self.markers['result']

    def kill(self):
        """SIGKILL this runner (and only it)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def close(self):
        self.kill()
        self.stderr.close()


def run(db, action, timeout=120, **params):
    process = OdooProcess(db, action, **params)
    try:
        return process.result(timeout)
    finally:
        process.close()


class OdooServer:
    """``odoo server`` on a scratch database and a free port: the real HTTP/RPC layer."""

    def __init__(self, db):
        self.db = db
        self.port = free_port()
        self.url = 'http://127.0.0.1:%s' % self.port
        self.log = tempfile.TemporaryFile(mode='w+')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'odoo', 'server', *odoo_cli_args(), '-d', db, '--db-filter=^%s$' % db,
             '--http-interface=127.0.0.1', '--http-port=%s' % self.port, '--max-cron-threads=0',
             '--workers=0', '--no-database-list', '--log-level=warn', '--gevent-port=%s' % free_port()],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout=60):
        import requests
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if requests.get(self.url + '/web/version', timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("the Odoo server did not start:\n" + self.log_tail())

    def log_tail(self, size=6000):
        self.log.seek(0)
        return self.log.read()[-size:]

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        self.log.close()


class RpcError(Exception):
    def __init__(self, error):
        data = error.get('data') or {}
        self.name = data.get('name', '')
        self.message = data.get('message') or error.get('message', '')
        super().__init__("%s: %s" % (self.name, self.message))


class JsonRpc:
    """``/jsonrpc`` ``execute_kw`` as an external client would call it."""

    def __init__(self, url, db, login, password):
        import requests
        self.session = requests.Session()
        self.url, self.db, self.password = url, db, password
        self.uid = self.call('common', 'login', db, login, password)
        if not self.uid:
            raise AssertionError("login %s refused" % login)

    def call(self, service, method, *args):
        response = self.session.post(self.url + '/jsonrpc', json={
            'jsonrpc': '2.0', 'method': 'call', 'id': 1,
            'params': {'service': service, 'method': method, 'args': args}}, timeout=60)
        response.raise_for_status()
        body = response.json()
        if body.get('error'):
            raise RpcError(body['error'])
        return body['result']

    def __call__(self, model, method, *args, **kwargs):
        return self.call('object', 'execute_kw', self.db, self.uid, self.password, model, method, list(args), kwargs)


class WebClient:
    """The web client's path: ``/web/session/authenticate`` then ``/web/dataset/call_kw``."""

    def __init__(self, url, db, login, password):
        import requests
        self.session = requests.Session()
        self.url = url
        info = self._post('/web/session/authenticate', {'db': db, 'login': login, 'password': password})
        self.uid = info['uid']
        self.context = info.get('user_context') or {}

    def _post(self, path, params):
        response = self.session.post(self.url + path, json={
            'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': params}, timeout=60)
        response.raise_for_status()
        body = response.json()
        if body.get('error'):
            raise RpcError(body['error'])
        return body['result']

    def __call__(self, model, method, *args, context=None, **kwargs):
        kwargs['context'] = dict(self.context, **(context or {}))
        return self._post('/web/dataset/call_kw/%s/%s' % (model, method), {
            'model': model, 'method': method, 'args': list(args), 'kwargs': kwargs})


# =============================================================================
# Runner side
# =============================================================================
def emit(name, payload=None):
    sys.stdout.write('%s%s %s\n' % (MARK, name, json.dumps(payload, default=str)))
    sys.stdout.flush()


def wait_file(path, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError("gate %s never opened" % path)
        time.sleep(0.05)


def _patch_engine(sleep_per_batch=0.0, hold_batch=None, hold_gate=None, hold_timeout=60, select_gate=None):
    """Test-only slow-down of the engine *in this runner process*.

    After the n-th batch that reminds someone is executed (mails, events, stages
    written, rows still locked, not yet committed), print ``executed_<n>`` and, for
    ``hold_batch``, wait until the file ``hold_gate`` exists (or sleep).
    With ``select_gate``, wait after the first batch is selected (its snapshot
    taken) and before its rows are locked, after printing ``selected_1``.
    """
    from odoo.addons.l10n_fr_debt_recovery.models.debt_recovery_engine import DebtRecoveryEngine
    original = DebtRecoveryEngine._execute
    original_select = DebtRecoveryEngine._select_batch
    stats = {'batches': 0, 'groups': 0, 'partners': [], 'selects': 0}

    def _select_batch(self, *args, **kwargs):
        moves = original_select(self, *args, **kwargs)
        stats['selects'] += 1
        if select_gate and stats['selects'] == 1:
            emit('selected_1', moves.ids)
            wait_file(select_gate, hold_timeout)
        return moves

    DebtRecoveryEngine._select_batch = _select_batch

    def _execute(self, groups):
        if not self.env.context.get('recovery_cron') or not groups:
            return original(self, groups)
        events = original(self, groups)
        self.env.flush_all()
        stats['batches'] += 1
        stats['groups'] += len(groups)
        stats['partners'] += [group.partner.id for group in groups]
        emit('executed_%s' % stats['batches'], [group.partner.id for group in groups])
        if hold_batch == stats['batches']:
            if hold_gate:
                wait_file(hold_gate, hold_timeout)
            else:
                time.sleep(hold_timeout)
        elif sleep_per_batch:
            time.sleep(sleep_per_batch)
        return events

    DebtRecoveryEngine._execute = _execute
    return stats


def action_seed_debtors(env, debtors=60, batch_size=5, days_late=7):
    """Debtors with one invoice each, whose courteous reminder is due today."""
    from odoo import Command, fields
    company = env.ref('base.main_company')
    company.write({'email': 'compta@scratch.example.com',
                   'recovery_plan_id': env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default').id})
    env['ir.config_parameter'].set_param('l10n_fr_debt_recovery.batch_size', batch_size)
    today = fields.Date.context_today(env['res.partner'])
    due = fields.Date.subtract(today, days=days_late)
    partners = env['res.partner'].create([{
        'name': 'Debtor %03d' % i, 'is_company': True, 'email': 'debtor%03d@example.com' % i,
    } for i in range(debtors)])
    moves = env['account.move'].create([{
        'move_type': 'out_invoice', 'partner_id': partner.id, 'company_id': company.id,
        'invoice_date': fields.Date.subtract(due, days=30), 'invoice_date_due': due,
        'invoice_line_ids': [Command.create({'name': 'Service', 'quantity': 1, 'price_unit': 100.0 + i,
                                             'tax_ids': [Command.clear()]})],
    } for i, partner in enumerate(partners)])
    moves.action_post()
    clicker = env['res.users'].create({
        'name': 'Relancer Clicker', 'login': 'clicker', 'password': 'clicker-pass-1234',
        'email': 'clicker@scratch.example.com',
        'company_id': company.id, 'company_ids': [Command.set(company.ids)],
        'group_ids': [Command.set([env.ref('l10n_fr_debt_recovery.group_recovery_user').id])],
    })
    not_due = moves.filtered(lambda m: m.recovery_state != 'running' or m.recovery_next_date > today)
    assert not not_due, "seeded invoices not due: %s" % not_due.ids
    return {'move_ids': moves.ids, 'partner_ids': partners.ids, 'clicker_id': clicker.id,
            'step_id': moves[0].recovery_next_step_id.id, 'today': today}


def _cron_job_dict(cr, cron_id):
    """The row ``_acquire_one_job`` returns, read without taking the job lock."""
    cr.execute("""
        SELECT *, (SELECT id FROM ir_cron_progress WHERE cron_id = c.id ORDER BY id DESC LIMIT 1) AS progress_id
          FROM ir_cron c WHERE c.id = %s""", [cron_id])
    job = cr.dictfetchone()
    job.update(done=0, remaining=0, timed_out_counter=0)
    return job


def action_cron(registry, mode='job', sleep_per_batch=0.0, hold_batch=None, hold_gate=None,
                hold_timeout=60, start_gate=None, select_gate=None):
    """Run the scheduled action *Debt recovery: send due reminders* as the cron does.

    mode ``job``: the scheduler's own path (acquire the job row, ``_process_job``,
    batches committed through ``_commit_progress``); mode ``worker``: the same job
    body (``_run_job``) without the job lock, i.e. a second worker/server running
    the engine at the same time.
    """
    from odoo import SUPERUSER_ID, api
    from odoo.addons.base.models.ir_cron import IrCron
    stats = _patch_engine(sleep_per_batch, hold_batch, hold_gate, hold_timeout, select_gate)
    with registry.cursor() as cr:
        cron_id = api.Environment(cr, SUPERUSER_ID, {}).ref('l10n_fr_debt_recovery.ir_cron_debt_recovery').id
    emit('ready')
    if start_gate:
        wait_file(start_gate, 60)
    status = None
    if mode == 'job':
        with registry.cursor() as cron_cr:
            job = IrCron._acquire_one_job(cron_cr, cron_id, include_not_ready=True)
            if not job:
                return {'acquired': False}
            registry['ir.cron']._process_job(cron_cr, job)
            cron_cr.commit()
    else:
        with registry.cursor() as cr:
            job = _cron_job_dict(cr, cron_id)
        status = registry['ir.cron']._run_job(job)
    with registry.cursor() as cr:
        cr.execute("SELECT failure_count FROM ir_cron WHERE id = %s", [cron_id])
        failure_count = cr.fetchone()[0]
    return dict(stats, acquired=True, failure_count=failure_count, status=status and str(status))


def action_remind(registry, login, move_ids, go_gate=None, then_move_ids=None, retry_gate=None):
    """Relancer as ``login``: open the wizard on ``move_ids`` (committed), wait for
    ``go_gate``, click Send; then the same for ``then_move_ids``; after
    ``retry_gate``, click Send again in the first wizard (the dialog stays open
    after an error).

    Each click runs like an RPC request: own transaction, retried on
    serialization failures (``odoo.service.model.retrying``), rolled back on errors.
    """
    from odoo import api
    from odoo.exceptions import UserError
    from odoo.service.model import retrying

    def user_env(cr):
        cr.execute("SELECT id FROM res_users WHERE login = %s", [login])
        return api.Environment(cr, cr.fetchone()[0], {})

    def open_wizard(ids):
        with registry.cursor() as cr:
            env = user_env(cr)
            action = env['account.move'].browse(ids).action_recovery_remind()
            return action['res_id']

    def click(wizard_id):
        with registry.cursor() as cr:
            env = user_env(cr)
            try:
                action = retrying(lambda: env['debt.recovery.remind'].browse(wizard_id).action_send(), env)
            except UserError as error:
                return {'error': error.args[0]}
            return {'message': action['params']['message'], 'type': action['params']['type']}

    result = {}
    first = open_wizard(move_ids)
    second = open_wizard(then_move_ids) if then_move_ids else None
    emit('wizards_ready')
    if go_gate:
        wait_file(go_gate, 60)
    result['first'] = click(first)
    if second:
        result['second'] = click(second)
    emit('clicked', result)
    if retry_gate:
        wait_file(retry_gate, 60)
        result['retry'] = click(first)
    return result


def action_seed_companies(env):
    """Two companies with an overdue invoice and its reminder event each, and
    users of every kind, for the RPC access tests."""
    from odoo import Command, fields
    company_a = env.ref('base.main_company')
    plan = env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default')
    company_a.write({'email': 'compta@societe-a.example.com', 'recovery_plan_id': plan.id})
    company_b = env['res.company'].create({'name': 'Société B', 'email': 'compta@societe-b.example.com',
                                           'currency_id': company_a.currency_id.id})
    env['account.chart.template'].try_loading(company_a.chart_template or 'generic_coa', company_b,
                                              install_demo=False)
    company_b.recovery_plan_id = plan
    today = fields.Date.context_today(env['res.partner'])
    due = fields.Date.subtract(today, days=7)
    debtor = env['res.partner'].create({'name': 'Debtor Shared', 'is_company': True,
                                        'email': 'shared-debtor@example.com'})

    def invoice(company):
        move = env['account.move'].with_company(company).create({
            'move_type': 'out_invoice', 'partner_id': debtor.id, 'company_id': company.id,
            'invoice_date': fields.Date.subtract(due, days=30), 'invoice_date_due': due,
            'invoice_line_ids': [Command.create({'name': 'Service', 'price_unit': 500.0,
                                                 'tax_ids': [Command.clear()]})],
        })
        move.action_post()
        return move

    invoice_a, invoice_a2, invoice_b = invoice(company_a), invoice(company_a), invoice(company_b)
    env['debt.recovery.engine']._run()
    # a second, still unreminded invoice in A: what a forged Relancer would send
    invoice_a2_late = invoice(company_a)
    group = env.ref
    password = 'rpc-pass-1234'

    def user(login, groups, company=company_a, companies=None):
        return env['res.users'].with_context(no_reset_password=True).create({
            'name': login.replace('_', ' ').title(), 'login': login, 'password': password,
            'email': '%s@example.com' % login, 'company_id': company.id,
            'company_ids': [Command.set((companies or company).ids)],
            'group_ids': [Command.set([group(g).id for g in groups])],
        })

    users = {
        'portal': user('rpc_portal', ['base.group_portal']),
        'internal': user('rpc_internal', ['base.group_user']),
        'invoicing': user('rpc_invoicing', ['account.group_account_invoice']),
        'recovery_a': user('rpc_recovery_a', ['l10n_fr_debt_recovery.group_recovery_user']),
        'manager_a': user('rpc_manager_a', ['l10n_fr_debt_recovery.group_recovery_manager']),
        'recovery_b': user('rpc_recovery_b', ['l10n_fr_debt_recovery.group_recovery_user'], company=company_b),
    }
    events = env['debt.recovery.event'].search([])
    return {
        'password': password,
        'users': {key: u.login for key, u in users.items()},
        'company_a': company_a.id, 'company_b': company_b.id, 'debtor': debtor.id,
        'invoice_a': invoice_a.id, 'invoice_a2': invoice_a2.id, 'invoice_a_new': invoice_a2_late.id,
        'invoice_b': invoice_b.id,
        'events_a': events.filtered(lambda e: e.company_id == company_a).ids,
        'events_b': events.filtered(lambda e: e.company_id == company_b).ids,
        'plan': plan.id, 'step': plan._get_active_steps()[0].id,
        'rate': env['debt.recovery.rate'].search([], limit=1).id,
    }


ENV_ACTIONS = {'seed_debtors': action_seed_debtors, 'seed_companies': action_seed_companies}
REGISTRY_ACTIONS = {'cron': action_cron, 'remind': action_remind}


def main(spec):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config
    config.parse_config([*spec['odoo_args'], '-d', spec['db'], '--log-level=warn',
                         '--http-interface=127.0.0.1', '--max-cron-threads=0'], setup_logging=True)
    registry = odoo.modules.registry.Registry(spec['db'])
    action, params = spec['action'], spec['params']
    if action in ENV_ACTIONS:
        with registry.cursor() as cr:
            result = ENV_ACTIONS[action](api.Environment(cr, SUPERUSER_ID, {}), **params)
    else:
        result = REGISTRY_ACTIONS[action](registry, **params)
    emit('result', result)


if __name__ == '__main__':
    main(json.loads(sys.argv[1]))
