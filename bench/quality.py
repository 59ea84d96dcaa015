"""Main-text F1, exact-day date accuracy, byline and title accuracy on ../shared/evalset, govnews beside
trafilatura 2.3 (default) and readability-lxml, computed in the same run; then the figures per
source, leave-one-source-out (every rule judged on the sources it was not written for), and
whether the low_confidence flag holds the bad records.

    python -m bench.quality                      # everything
    python -m bench.quality --only govnews --worst 15
    python -m bench.quality --no-loso            # skip the ablation runs (about a minute)
    python -m bench.quality --no-feeds           # skip the synthetic feeds and emptied bodies (bench/feeds.py, bench/nobody.py)
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import warnings

from bench import feeds, loso, nobody
from bench.evalset import load_pages, name_match, prf, title_match
from bench.sources import snippet_pass, source_of
from cleaners import clean

warnings.filterwarnings("ignore")
_DAY = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def day_of(value) -> tuple[int, int, int] | None:
    m = _DAY.search(str(value or ""))
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def run_govnews(page):
    rec = clean(page.raw(), url=page.url)
    return rec["text"], rec["published_at"], [rec["author"], rec["editor"]], rec["title"]


def run_trafilatura(page):
    import trafilatura
    doc = trafilatura.bare_extraction(page.raw(), url=page.url, with_metadata=True)
    if doc is None:
        return "", None, [], None
    return (doc.text or ""), doc.date, [doc.author], doc.title


def run_readability(page):
    import lxml.html
    from readability import Document
    summary = Document(page.raw()).summary(html_partial=True)
    tree = lxml.html.fromstring(summary)
    for br in tree.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr"):
        br.tail = "\n" + (br.tail or "")
    return tree.text_content(), None, [], None


EXTRACTORS = {"govnews": run_govnews, "trafilatura": run_trafilatura, "readability-lxml": run_readability}


def mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def evaluate(fn, pages):
    """Scores of one extractor over the pages: F1 (articles, forum), dates, bylines, titles, snippets."""
    scores, forum, days, bylines, titles, snippets, started = {}, {}, {}, {}, {}, {}, time.perf_counter()
    for page in pages:
        try:
            text, date, people, title = fn(page)
        except Exception as exc:  # a baseline that crashes scores 0 on that page
            text, date, people, title = "", None, [], None
            print(f"  {fn.__name__} failed on {page.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        if page.gt_type in ("full_text", "tool_reference") and page.truth.get("text"):
            (forum if page.page_type == "forum" else scores)[page.name] = prf(text, page.truth["text"])
        passed = snippet_pass(page, text, title)
        if passed is not None:
            snippets[page.name] = passed
        if fn is run_readability:              # it finds no dates, bylines or titles
            continue
        if day_of(page.truth.get("date")):
            days[page.name] = (day_of(date) == day_of(page.truth["date"]), date)
        if page.truth.get("author"):
            bylines[page.name] = (any(name_match(page.truth["author"], p) for p in people), people)
        if page.truth.get("title"):
            titles[page.name] = (title_match(page.truth["title"], title), title)
    return scores, forum, days, bylines, titles, snippets, time.perf_counter() - started


def print_main(results, pages) -> None:
    text_pages = [p for p in pages if p.gt_type == "full_text"]
    print(f"\nmain text: {len([p for p in text_pages if p.page_type == 'article'])} full_text article pages, "
          f"{len([p for p in text_pages if p.page_type == 'forum'])} forum; dates: "
          f"{len([p for p in pages if day_of(p.truth.get('date'))])} dated pages; bylines: "
          f"{len([p for p in pages if p.truth.get('author')])} pages with an author; titles: "
          f"{len([p for p in pages if p.truth.get('title')])}")
    print(f"{'extractor':<18}{'mean F1':>9}{'>=0.9':>8}{'mean P':>8}{'mean R':>8}{'forum F1':>10}{'date day':>10}"
          f"{'byline':>8}{'title':>7}{'secs':>7}")
    for name, (scores, forum, days, bylines, titles, _snip, secs) in results.items():
        full = {n: s for n, s in scores.items() if n.startswith(("cwced", "magichtml"))}
        f1s = [s[2] for s in full.values()]
        print(f"{name:<18}{mean(f1s):>9.3f}{mean(f >= 0.9 for f in f1s):>8.0%}"
              f"{mean(s[0] for s in full.values()):>8.3f}{mean(s[1] for s in full.values()):>8.3f}"
              f"{mean(s[2] for s in forum.values()):>10.3f}"
              f"{(f'{mean(ok for ok, _ in days.values()):.0%}' if days else '-'):>10}"
              f"{(f'{mean(ok for ok, _ in bylines.values()):.0%}' if bylines else '-'):>8}"
              f"{(f'{mean(ok for ok, _ in titles.values()):.0%}' if titles else '-'):>7}{secs:>7.1f}")


def print_sources(results, loso) -> None:
    """F1 per source (article pages), with the leave-one-source-out figure for govnews, and the
    snippet / partial pass rate of the other sources."""
    names = list(results)
    print("\nper source (article pages; F1 where the truth is a text, else share of pages passing their checks)")
    print(f"{'source':<13}{'truth':<11}{'pages':>6}{'govnews':>9}{'>=0.9':>7}{'LOSO':>7}"
          + "".join(f"{n[:11]:>12}" for n in names if n != "govnews"))
    by_source: dict[str, dict[str, list]] = {}
    for name, (scores, _f, _d, _b, _t, snippets, _s) in results.items():
        for page, s in scores.items():
            by_source.setdefault(source_of(page), {}).setdefault(name, []).append(s[2])
        for page, ok in snippets.items():
            by_source.setdefault(source_of(page), {}).setdefault(name, []).append(1.0 if ok else 0.0)
    kinds = {"cwced": "text", "magichtml": "text", "readability": "tool text", "n4k": "tool text",
             "traf": "snippets", "twnews": "partial"}
    worst = None
    for src in sorted(by_source, key=lambda s: (kinds.get(s, "z") != "text", kinds.get(s, "z"), s)):
        mine = by_source[src].get("govnews", [])
        text_kind = kinds.get(src, "") in ("text", "tool text")
        loso_f1 = loso.get(src, (None, None, None))[1] if loso else None
        row = (f"{src:<13}{kinds.get(src, '?'):<11}{len(mine):>6}{mean(mine):>9.3f}"
               f"{(f'{mean(f >= 0.9 for f in mine):.0%}' if text_kind else '-'):>7}"
               f"{(f'{loso_f1:.3f}' if loso_f1 is not None else '-'):>7}")
        row += "".join(f"{mean(by_source[src].get(n, [])):>12.3f}" if by_source[src].get(n) else f"{'-':>12}"
                       for n in names if n != "govnews")
        print(row)
        if text_kind and mine:
            figure = min(mean(mine), loso_f1) if loso_f1 is not None else mean(mine)
            worst = min(worst or (9, ""), (figure, src))
    if worst:
        print(f"worst source (F1, the lower of all rules and leave-one-source-out): {worst[1]} {worst[0]:.3f}")


def print_loso(report) -> None:
    print("\nleave-one-source-out: rules that did not help the other sources are off when a source is scored")
    for src, (all_rules, held, dropped) in sorted(report.loso.items()):
        print(f"  {src:<12} all rules {all_rules:.3f}  LOSO {held:.3f}  not earned elsewhere: "
              f"{', '.join(dropped) if dropped else '(none)'}")
    base_means = loso.source_means(report.base)
    sources = sorted(base_means)
    print(f"\n  {'rule (F1 it adds per source)':<28}" + "".join(f"{s:>12}" for s in sources))
    for rule, res in report.ablations.items():
        off = loso.source_means(res)
        print(f"  {rule:<28}" + "".join(f"{base_means[s] - off[s]:>+12.4f}" for s in sources))
    base = list(report.base.values())
    ablated = [s for res in report.ablations.values() for s in res.values()]
    wrong = list(report.runner_up.values())
    print(f"\nlow_confidence flag (or status not ok) against F1 < {loso.BAD_F1}:")
    for label, records in (("evalset, all rules", base), ("every one-rule-off run", ablated),
                           ("second-best region kept on purpose", wrong), ("all of these", base + ablated + wrong)):
        bad, flagged, hit, precision, recall = loso.flag_quality(records)
        p = f"{precision:.0%}" if precision is not None else "-"
        r = f"{recall:.0%}" if recall is not None else "-"
        print(f"  {label:<36} records {len(records):>5}  below {bad:>4}  flagged {flagged:>4}  "
              f"precision {p:>5}  recall {r:>5}")


def print_worst(results, pages, count: int) -> None:
    scores, _, days, bylines, titles, snippets, _ = results["govnews"]
    print("\nworst govnews pages (P R F1):")
    for pname, (p, r, f) in sorted(scores.items(), key=lambda kv: kv[1][2])[:count]:
        print(f"  {pname:<34} {p:.3f} {r:.3f} {f:.3f}")
    pages_by = {p.name: p for p in pages}
    for label, table, key in (("date", days, "date"), ("byline", bylines, "author"), ("title", titles, "title")):
        misses = [(n, got) for n, (ok, got) in table.items() if not ok]
        print(f"\n{label} misses ({len(misses)}):")
        for n, got in misses:
            print(f"  {n:<34} truth={pages_by[n].truth.get(key)!s:<22} got={got}")
    failed = [n for n, ok in snippets.items() if not ok]
    print(f"\nsnippet/partial checks failed ({len(failed)}): {', '.join(failed) or '-'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", choices=list(EXTRACTORS), help="run only these")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst govnews pages")
    ap.add_argument("--page", action="append", help="restrict to these page names")
    ap.add_argument("--no-loso", action="store_true", help="skip leave-one-source-out and the flag figures")
    ap.add_argument("--no-feeds", action="store_true", help="skip the synthetic feeds (a second page appended) and the emptied bodies")
    args = ap.parse_args(argv)
    pages = load_pages()
    if args.page:
        pages = [p for p in pages if p.name in args.page]
    scored = [p for p in pages if p.truth]
    results = {name: evaluate(EXTRACTORS[name], scored) for name in (args.only or list(EXTRACTORS))}
    print_main(results, pages)
    report = None
    if "govnews" in results and not args.no_loso and not args.page:
        report = loso.run()
    print_sources(results, report.loso if report else None)
    if report:
        print_loso(report)
    if "govnews" in results and not args.no_feeds and not args.page:
        rows = feeds.run(seed=1)
        print(f"\nsynthetic feeds (bench/feeds.py, seed 1): another page's body appended to each of "
              f"{len(rows)} article pages: F1 {mean(r[0] for r in rows):.3f} alone, "
              f"{mean(r[1] for r in rows):.3f} with the second story, {sum(r[1] < 0.5 for r in rows)} below 0.5")
        bad, flagged, hit, _precision, _recall = loso.flag_quality([r[4] for r in rows])
        print(f"  low_confidence flag: {hit} of the {bad} fed records below {loso.BAD_F1} flagged, "
              f"{flagged - hit} of the others")
        emptied = nobody.run()
        silent = sum(r[1] == "ok" and not r[2] for r in emptied)
        print(f"bodies emptied (bench/nobody.py): {len(emptied)} article pages, "
              f"{sum(r[1] != 'ok' for r in emptied)} not ok, {silent} silent (ok and confident)")
    if args.worst and "govnews" in results:
        print_worst(results, pages, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
