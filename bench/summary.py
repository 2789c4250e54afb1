"""Ratios and targets from the figures of one benchmark run (bench/out/results.jsonl).

    python bench/summary.py RUN_ID
"""
import json
import os
import sys

from benchlib import OUT_DIR

SMALL, LARGE = 10000, 100000


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
        ours, oca = get('engine_seconds', n), get('oca_seconds', n)
        if ours is not None and oca is not None:
            print(f"ratio_ours_over_oca N={n}: {ours / oca:.3f}  (ours {ours:.1f} s, OCA {oca:.1f} s: "
                  f"ours is {oca / ours:.1f}x faster)")
        elif ours is not None:
            print(f"ratio_ours_over_oca N={n}: not measured (OCA not run at this size, see above)")
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
