"""At most once, for real: the engine in several processes on a committed database.

The rolled-back transaction of a TransactionCase cannot show what two workers,
a killed worker or a user clicking Relancer during the scheduled run leave in
the database: these tests clone the test database (module installed), seed it
in a child process and run the scheduled action in other child processes
(``process_helpers.py``), each committing per batch like the cron. Every wait is
bounded; slow-downs are gates monkeypatched into the child processes only.
"""
import os
import shutil
import tempfile

from odoo.tests import BaseCase, tagged

from . import process_helpers as ph

DEBTORS = 60
BATCH = 5


@tagged('post_install', '-at_install', 'ldr_processes')
class TestEngineProcesses(BaseCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix='ldr_gates_')
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.template = ph.clone_test_db('ldr_conc_tpl')
        cls.addClassCleanup(ph.drop_db, cls.template)
        cls.seed = ph.run(cls.template, 'seed_debtors', debtors=DEBTORS, batch_size=BATCH)
        cls.move_ids = cls.seed['move_ids']
        cls.partner_ids = cls.seed['partner_ids']

    def setUp(self):
        super().setUp()
        self.db = ph.copy_db(self.template, 'ldr_conc')
        self.addCleanup(ph.drop_db, self.db)

    def gate(self, name):
        return os.path.join(self.tmp, '%s_%s' % (self.db, name))

    def open_gate(self, name):
        open(self.gate(name), 'w').close()

    def start(self, action, **params):
        process = ph.OdooProcess(self.db, action, **params)
        self.addCleanup(process.close)
        return process

    # -- what was committed -----------------------------------------------------
    def done_events(self):
        """{move_id: [(step_id, origin, forced)]} of the done step events."""
        rows = ph.fetch(self.db, """
            SELECT move_id, step_id, origin, forced FROM debt_recovery_event
             WHERE event_type = 'step' AND state = 'done' ORDER BY id""")
        result = {}
        for move_id, step_id, origin, forced in rows:
            result.setdefault(move_id, []).append((step_id, origin, forced))
        return result

    def mails_per_debtor(self):
        return dict(ph.fetch(self.db, """
            SELECT msg.res_id, COUNT(*) FROM mail_mail mail
              JOIN mail_message msg ON msg.id = mail.mail_message_id
             WHERE msg.model = 'res.partner' GROUP BY msg.res_id"""))

    def assertEachStepOnce(self, move_ids=None, partner_ids=None):
        """Every invoice has its courteous step done exactly once (one event),
        every debtor exactly one e-mail, every invoice's stage moved."""
        move_ids = move_ids or self.move_ids
        partner_ids = partner_ids or self.partner_ids
        events = self.done_events()
        step = self.seed['step_id']
        wrong = {mid: events.get(mid) for mid in move_ids if [e[0] for e in events.get(mid, [])] != [step]}
        self.assertFalse(wrong, "invoices without exactly one done courteous event: %s" % wrong)
        mails = self.mails_per_debtor()
        wrong = {pid: mails.get(pid, 0) for pid in partner_ids if mails.get(pid, 0) != 1}
        self.assertFalse(wrong, "debtors without exactly one reminder e-mail: %s" % wrong)
        stages = dict(ph.fetch(self.db, "SELECT id, recovery_step_id FROM account_move WHERE id = ANY(%s)",
                               [move_ids]))
        self.assertEqual(set(stages.values()), {step}, "every invoice's stage moved to the step")
        return events

    # -- tests -------------------------------------------------------------------
    def test_two_workers_same_invoices_each_step_once(self):
        """The scheduler's job and a second worker run on the same 60 due invoices
        (batches of 5 debtors). The first holds its first batch (rows locked, not
        committed) until the second has done one: the second skips the busy
        debtors instead of waiting or duplicating; then both run to the end.
        Each invoice gets its step once, each debtor one e-mail."""
        first = self.start('cron', mode='job', hold_batch=1, hold_gate=self.gate('first'), sleep_per_batch=0.02)
        second = self.start('cron', mode='worker', start_gate=self.gate('second'), sleep_per_batch=0.02)
        held = first.wait_for('executed_1')
        second.wait_for('ready')
        self.open_gate('second')
        done_meanwhile = second.wait_for('executed_1')
        self.assertEqual(len(held), BATCH)
        self.assertEqual(len(done_meanwhile), BATCH)
        self.assertFalse(set(held) & set(done_meanwhile), "the second worker skipped the debtors being reminded")
        self.open_gate('first')
        r1, r2 = first.result(), second.result()
        self.assertTrue(r1['acquired'])
        self.assertFalse(set(r1['partners']) & set(r2['partners']), "no debtor was handled by both workers")
        self.assertEqual(len(r1['partners']) + len(r2['partners']), DEBTORS)
        events = self.assertEachStepOnce()
        self.assertEqual({origin for evs in events.values() for __, origin, __ in evs}, {'cron'})
        self.assertEqual(r1['failure_count'], 0)
        self.assertNotEqual(r2['status'], 'failed')

    def test_rows_committed_by_another_worker_after_the_snapshot(self):
        """The race two workers can always hit: a worker selects a batch, the other
        one reminds those debtors and commits before the first locks the rows.
        The first worker must skip them and finish its run, not crash on the
        serialization failure (which would fail the cron job)."""
        late = self.start('cron', mode='worker', select_gate=self.gate('late'))
        late.wait_for('ready')
        selected = late.wait_for('selected_1')
        self.assertEqual(len(selected), BATCH)
        fast = self.start('cron', mode='job').result()
        self.assertEqual(len(fast['partners']), DEBTORS, "the other worker did everything")
        self.open_gate('late')
        result = late.result()
        # (partially done: it counted 60 debtors due and found them done by the other)
        self.assertIn(result['status'], ('fully done', 'partially done'),
                      "the late worker's job failed: %s\n%s" % (result, late.log_tail(3000)))
        self.assertEqual(result['partners'], [])
        self.assertEqual(result['failure_count'], 0)
        self.assertEachStepOnce()

    def test_worker_killed_mid_run_then_restarted(self):
        """SIGKILL while the third batch is written but not committed: the two
        committed batches stay, the third leaves nothing; the restarted run sends
        every remaining reminder, and none twice."""
        worker = self.start('cron', mode='job', hold_batch=3, hold_gate=self.gate('never'), hold_timeout=120)
        worker.wait_for('executed_1')
        worker.wait_for('executed_2')
        in_flight = worker.wait_for('executed_3', timeout=60)
        worker.kill()
        self.assertEqual(len(in_flight), BATCH)
        committed = self.mails_per_debtor()
        self.assertEqual(len(committed), 2 * BATCH, "the first two batches were committed")
        self.assertFalse(set(committed) & set(in_flight), "the killed batch left no e-mail")
        events = self.done_events()
        self.assertEqual(len(events), 2 * BATCH)
        self.assertEqual(ph.fetch(self.db, "SELECT COUNT(*) FROM mail_mail")[0][0], 2 * BATCH)

        restarted = self.start('cron', mode='job').result()
        self.assertTrue(restarted['acquired'], "the killed worker left no lock on the job")
        self.assertFalse(set(restarted['partners']) & set(committed), "nothing sent twice")
        self.assertTrue(set(in_flight) <= set(restarted['partners']), "the killed batch is redone")
        self.assertEachStepOnce()
        # and a third run the same day has nothing left to do
        self.assertEqual(self.start('cron', mode='job').result()['partners'], [])
        self.assertEachStepOnce()

    def test_relancer_during_scheduled_run(self):
        """A user clicks Send in Relancer while the scheduled run holds a batch:
        on an invoice of that batch, the click is refused with a clear message,
        then skipped as already done; on a debtor the run has not reached yet,
        the reminder goes manually and the run does not send it again."""
        moves_by_partner = dict(ph.fetch(self.db, "SELECT commercial_partner_id, id FROM account_move "
                                                  "WHERE id = ANY(%s)", [self.move_ids]))
        partners = sorted(self.partner_ids)
        busy_partner, later_partner = partners[0], partners[-1]  # batches are ordered by debtor
        busy_move, later_move = moves_by_partner[busy_partner], moves_by_partner[later_partner]

        clicker = self.start('remind', login='clicker', move_ids=[busy_move], then_move_ids=[later_move],
                             go_gate=self.gate('go'), retry_gate=self.gate('retry'))
        clicker.wait_for('wizards_ready')
        cron = self.start('cron', mode='job', hold_batch=1, hold_gate=self.gate('resume'))
        first_batch = cron.wait_for('executed_1')
        self.assertIn(busy_partner, first_batch)
        self.open_gate('go')
        clicked = clicker.wait_for('clicked')
        self.assertIn('being reminded by the scheduled run', clicked['first'].get('error', ''),
                      "the click on a locked invoice is refused: %s" % clicked)
        self.assertNotIn('error', clicked['second'], clicked)
        self.assertEqual(clicked['second']['type'], 'success', clicked)
        self.open_gate('resume')
        result = cron.result()
        self.assertNotIn(later_partner, result['partners'], "the run did not remind the debtor again")
        self.open_gate('retry')
        retry = clicker.result()['retry']
        self.assertIn('Already done', retry.get('message', ''), retry)

        events = self.assertEachStepOnce()
        self.assertEqual(events[later_move][0][1:], ('manual', False))
        self.assertEqual(events[busy_move][0][1:], ('cron', False))
        self.assertEqual({evs[0][1] for mid, evs in events.items() if mid != later_move}, {'cron'})
