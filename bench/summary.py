"""Ratios and targets from the figures of one benchmark run (bench/out/results.jsonl).

    python bench/summary.py RUN_ID
"""
import json
import os
import sys

from benchlib import OUT_DIR

SMALL, LARGE = 10000, 100000

# (label, seconds figure, queries figure, peak memory figure, prefix of _due/_outputs)
RUNS = [
    ("ours, first run (one call)", 'engine_seconds', 'engine_queries', 'peak_rss_mb', 'engine'),
    ("ours, first run, cron path", 'engine_cron_seconds', 'engine_cron_queries', 'peak_rss_mb_cron', 'engine_cron'),
    ("ours, first run, invoice PDFs", 'engine_pdf_seconds', 'engine_pdf_queries', 'peak_rss_mb_pdf', 'engine_pdf'),
    ("ours, next day", 'engine_nextday_seconds', 'engine_nextday_queries', 'peak_rss_mb_nextday',
     'engine_nextday'),
    ("OCA, first run", 'oca_seconds', 'oca_queries', 'oca_peak_rss_mb', 'oca'),
    ("OCA, next day", 'oca_nextday_seconds', 'oca_nextday_queries', 'oca_peak_rss_mb_nextday', 'oca_nextday'),
    ("OCA, invoice PDFs", 'oca_pdf_seconds', None, None, 'oca_pdf'),
]
COLUMNS = ["run", "s", "queries", "peak MB", "due that day", "e-mails", "to-dos", "events / credit lines",
           "cases / communications", "chatter messages (by type)", "tracking values", "followers",
           "attachments on e-mails"]


def runs_table(figures, n):
    """One row per run measured at size ``n``: time, queries, memory, what was due,
    what it created (both tools counted the same way)."""
    def row_value(name):
        row = figures.get((name, n))
        return None if row is None else row['value']

    def num(value, fmt="{:,.0f}"):
        if value is None:
            return "-"
        return fmt.format(value).replace(",", " ") if isinstance(value, (int, float)) else str(value)

    rows = []
    for label, secs, queries, peak, prefix in RUNS:
        seconds = row_value(secs)
        if seconds is None:
            continue
        due = row_value(f'{prefix}_due') or {}
        out = row_value(f'{prefix}_outputs') or {}
        if isinstance(seconds, (int, float)):
            time_text = f"{seconds:.1f}" if seconds >= 1 else f"{seconds:.3f}"
        else:
            bound = row_value(f'{prefix}_seconds_lower_bound')
            time_text = f"> {bound:.0f} (not finished)" if bound else str(seconds)
            if not due:
                # what it had done when it was abandoned, or why it was not run
                due = {'note': figures[(secs, n)]['note']}
        if 'reminded_invoices' in due:
            due_text = (f"{num(due.get('scheduled_invoices'))} inv. / {num(due.get('scheduled_debtors'))} debtors "
                        f"scheduled; {num(due['reminded_invoices'])} / {num(due['reminded_debtors'])} reminded")
        elif 'credit_lines' in due:
            due_text = f"{num(due['credit_lines'])} inv. / {num(due['credit_partners'])} partners reached a level"
        elif due.get('note'):
            due_text = due['note']
        else:
            due_text = "-"
        if due.get('open_invoices') is not None:
            due_text += f" (open {num(due['open_invoices'])})"
        messages = "-"
        if out:
            by_type = out.get('messages_by_type') or {}
            messages = num(out.get('mail_message')) + (
                " (" + ", ".join(f"{k} {num(v)}" for k, v in by_type.items()) + ")" if by_type else "")
        events = out.get('debt_recovery_event', out.get('credit_control_line'))
        cases = out.get('debt_recovery_case', out.get('credit_control_communication'))
        rows.append([label, time_text, num(row_value(queries)) if queries else "-",
                     num(row_value(peak)) if peak else "-", due_text,
                     num(out.get('mail_mail')) if out else "-", num(out.get('mail_activity')) if out else "-",
                     num(events) if out else "-", num(cases) if out else "-", messages,
                     num(out.get('mail_tracking_value')) if out else "-",
                     num(out.get('mail_followers')) if out else "-",
                     num(out.get('email_attachment_links')) if out else "-"])
    if not rows:
        return ""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    run_id = sys.argv[1]
    figures = {}
    with open(os.path.join(OUT_DIR, 'results.jsonl')) as f:
        for line in f:
            row = json.loads(line)
            if row.get('run') == run_id:
                figures[(row['name'], row['n'])] = row

    def get(name, n):
        row = figures.get((name, n))
        return row['value'] if row and isinstance(row['value'], (int, float)) else None

    verdicts = []

    def target(label, ok, text):
        verdicts.append(f"target {'MET ' if ok else 'MISSED' if ok is not None else 'n/a '} {label}: {text}")

    print("\n== summary ==")
    ns = sorted({n for __, n in figures})
    for n in ns:
        table = runs_table(figures, n)
        if table:
            print(f"\nN = {n}: every run of this benchmark, what was due and what it created\n{table}\n")
    for n in ns:
        ours, oca = get('engine_seconds', n), get('oca_seconds', n)
        bound = get('oca_seconds_lower_bound', n)
        if ours is not None and oca is not None:
            print(f"ratio_ours_over_oca N={n}: {ours / oca:.3f}  (first run, same benchmark run: ours {ours:.1f} s, "
                  f"OCA {oca:.1f} s: ours is {oca / ours:.1f}x faster; what each created: table above)")
        elif ours is not None and bound:
            print(f"ratio_ours_over_oca N={n}: < {ours / bound:.3f}  (first run: ours {ours:.1f} s, OCA not finished "
                  f"after {bound:.0f} s: ours is more than {bound / ours:.1f}x faster)")
        elif ours is not None and ('oca_seconds', n) in figures:
            row = figures[('oca_seconds', n)]
            print(f"ratio_ours_over_oca N={n}: not measured (OCA {row['value']}: {row['note']})")
        ours, oca = get('engine_nextday_seconds', n), get('oca_nextday_seconds', n)
        if ours is not None and oca is not None:
            ours_due = (figures.get(('engine_nextday_due', n)) or {}).get('value') or {}
            oca_due = (figures.get(('oca_nextday_due', n)) or {}).get('value') or {}
            print(f"next_day_both N={n}: ours {ours:.2f} s for {ours_due.get('reminded_invoices')} invoices reminded; "
                  f"OCA {oca:.1f} s for {oca_due.get('credit_lines')} credit lines (its levels do not catch up: "
                  f"the next level comes the next day); different work, no ratio")
        pdf, plain = get('engine_pdf_seconds', n), get('engine_seconds', n)
        if pdf is not None and plain:
            links = (figures.get(('engine_pdf_outputs', n)) or {}).get('value', {}).get('email_attachment_links')
            print(f"invoice_pdfs N={n}: {pdf:.1f} s with the firm step attaching the invoices' existing PDFs "
                  f"({links} attachments linked), {plain:.1f} s without (x{pdf / plain:.2f})")
        oca_pdf = figures.get(('oca_pdf_seconds', n))
        if oca_pdf:
            print(f"oca_invoice_pdfs N={n}: {oca_pdf['value']}  ({oca_pdf['note']})")
        nd = figures.get(('engine_nextday_due', n))
        nds = get('engine_nextday_seconds', n)
        if nd and nds is not None:
            due = nd['value']
            per = f", {1000 * nds / due['reminded_invoices']:.1f} ms per invoice reminded" \
                if due.get('reminded_invoices') else ""
            print(f"next_day N={n}: {nds:.1f} s for {due.get('reminded_invoices')} invoices of "
                  f"{due.get('reminded_debtors')} debtors reminded (open: {due.get('open_invoices')}){per}")
    d10, d100 = get('engine_nextday_seconds', SMALL), get('engine_nextday_seconds', LARGE)
    if d10 and d100:
        print(f"next_day_100k_over_10k: {d100 / d10:.2f}  ({d100:.2f} s / {d10:.2f} s; compare with what was due)")
    s10, s100 = get('engine_seconds', SMALL), get('engine_seconds', LARGE)
    if s10 and s100:
        print(f"scaling_100k_over_10k: {s100 / s10:.2f}  (engine seconds {s100:.1f} / {s10:.1f})")
    q10, q100 = get('queries_per_debtor_group', SMALL), get('queries_per_debtor_group', LARGE)
    if q10 and q100:
        print(f"queries_per_debtor_group_100k_over_10k: {q100 / q10:.2f}  ({q100} / {q10})")

    for n in ns:
        cron, cron_peak = get('engine_cron_seconds', n), get('peak_rss_mb_cron', n)
        if cron is not None:
            print(f"cron_path N={n}: {cron:.1f} s, peak RSS {cron_peak:.0f} MB (a commit per batch; "
                  f"direct call: {get('engine_seconds', n) or 0:.1f} s, {get('peak_rss_mb', n) or 0:.0f} MB)")
    if s100 is not None:
        target("100 000 invoices under 5 minutes", s100 < 300, f"{s100:.1f} s")
    for n in ns:
        row = figures.get(('engine_seconds', n))
        if row and row['value'] == 'not finished':
            target(f"engine run finished at N={n}", False, row['note'])
    for n in ns:
        ours, oca = get('engine_seconds', n), get('oca_seconds', n)
        if ours and oca:
            target(f"3x faster than OCA at N={n}", oca / ours >= 3, f"x{oca / ours:.2f}")
    if q10 and q100:
        target("queries per debtor group constant (10k vs 100k, within 20 %)", q100 <= 1.2 * q10,
               f"{q10} -> {q100}")
    for n in ns:
        peak = get('peak_rss_mb', n)
        if peak is not None:
            target(f"peak memory under 1 GB at N={n}", peak < 1024, f"{peak:.0f} MB")
    if s10 and s100:
        target("100 000 costs at most 11x 10 000", s100 / s10 <= 11, f"x{s100 / s10:.2f}")
    for n in ns:
        first, warm = get('list_read_seconds', n), get('list_read_seconds_warm', n)
        if first is not None and n >= LARGE:
            target(f"list read under 0.5 s at N={n}", max(first, warm or 0) < 0.5,
                   f"first {first:.3f} s, warm {warm:.3f} s")
        install = get('install_seconds', n)
        if install is not None and n >= LARGE:
            target(f"install under 2 minutes at N={n}", install < 120, f"{install:.1f} s")
        kept = figures.get(('upgrade_events_kept', n))
        if kept:
            target(f"upgrade keeps the events at N={n}", kept['value'] == 'yes', kept['note'])
    print("\n".join(verdicts))


if __name__ == '__main__':
    main()
