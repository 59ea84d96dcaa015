"""Main-text F1, exact-day date accuracy, byline and title accuracy on ../shared/evalset, govnews beside
trafilatura 2.3 (default) and readability-lxml, computed in the same run.

    python bench/quality.py            # all extractors
    python bench/quality.py --only govnews --worst 15
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalset import load_pages, name_match, prf, title_match  # noqa: E402

warnings.filterwarnings("ignore")
_DAY = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def day_of(value) -> tuple[int, int, int] | None:
    m = _DAY.search(str(value or ""))
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def run_govnews(page):
    from cleaners import clean
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", choices=list(EXTRACTORS), help="run only these")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst govnews pages")
    ap.add_argument("--page", action="append", help="restrict to these page names")
    args = ap.parse_args(argv)
    names = args.only or list(EXTRACTORS)
    pages = load_pages()
    if args.page:
        pages = [p for p in pages if p.name in args.page]
    text_pages = [p for p in pages if p.gt_type == "full_text"]
    dated = [p for p in pages if day_of(p.truth.get("date"))]
    credited = [p for p in pages if p.truth.get("author")]
    titled = [p for p in pages if p.truth.get("title")]

    results = {}
    for name in names:
        fn = EXTRACTORS[name]
        scores, forum, days, bylines, titles, started = {}, {}, {}, {}, {}, time.perf_counter()
        for page in {p.name: p for p in text_pages + dated + credited + titled}.values():
            try:
                text, date, people, title = fn(page)
            except Exception as exc:  # a baseline that crashes scores 0 on that page
                text, date, people, title = "", None, [], None
                print(f"  {name} failed on {page.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            if page.gt_type == "full_text":
                (forum if page.page_type == "forum" else scores)[page.name] = prf(text, page.truth.get("text", ""))
            if day_of(page.truth.get("date")) and fn is not run_readability:   # it finds no dates
                days[page.name] = (day_of(date) == day_of(page.truth["date"]), date)
            if page.truth.get("author") and fn is not run_readability:
                bylines[page.name] = (any(name_match(page.truth["author"], p) for p in people), people)
            if page.truth.get("title") and fn is not run_readability:
                titles[page.name] = (title_match(page.truth["title"], title), title)
        results[name] = (scores, forum, days, bylines, titles, time.perf_counter() - started)

    print(f"\nmain text: {len([p for p in text_pages if p.page_type == 'article'])} full_text article pages, "
          f"{len([p for p in text_pages if p.page_type == 'forum'])} forum; dates: {len(dated)} dated pages; "
          f"bylines: {len(credited)} pages with an author; titles: {len(titled)}")
    print(f"{'extractor':<18}{'mean F1':>9}{'>=0.9':>8}{'mean P':>8}{'mean R':>8}{'forum F1':>10}{'date day':>10}"
          f"{'byline':>8}{'title':>7}{'secs':>7}")
    for name, (scores, forum, days, bylines, titles, secs) in results.items():
        f1s = [s[2] for s in scores.values()]
        mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
        date_acc = mean([ok for ok, _ in days.values()])
        print(f"{name:<18}{mean(f1s):>9.3f}{mean([f >= 0.9 for f in f1s]):>8.0%}"
              f"{mean([s[0] for s in scores.values()]):>8.3f}{mean([s[1] for s in scores.values()]):>8.3f}"
              f"{mean([s[2] for s in forum.values()]):>10.3f}{(f'{date_acc:.0%}' if days else '-'):>10}"
              f"{(f'{mean([ok for ok, _ in bylines.values()]):.0%}' if bylines else '-'):>8}"
              f"{(f'{mean([ok for ok, _ in titles.values()]):.0%}' if titles else '-'):>7}{secs:>7.1f}")
    if args.worst and "govnews" in results:
        scores, _, days, bylines, titles, _ = results["govnews"]
        print("\nworst govnews pages (P R F1):")
        for pname, (p, r, f) in sorted(scores.items(), key=lambda kv: kv[1][2])[: args.worst]:
            print(f"  {pname:<34} {p:.3f} {r:.3f} {f:.3f}")
        misses = [(n, d) for n, (ok, d) in days.items() if not ok]
        print(f"\ndate misses ({len(misses)}):")
        pages_by = {p.name: p for p in pages}
        for n, d in misses:
            print(f"  {n:<34} truth={pages_by[n].truth.get('date')!s:<22} got={d}")
        misses = [(n, people) for n, (ok, people) in bylines.items() if not ok]
        print(f"\nbyline misses ({len(misses)}; author or editor field against the truth's author):")
        for n, people in misses:
            print(f"  {n:<34} truth={pages_by[n].truth.get('author')!s:<22} got={people}")
        misses = [(n, t) for n, (ok, t) in titles.items() if not ok]
        print(f"\ntitle misses ({len(misses)}):")
        for n, t in misses:
            print(f"  {n:<34} truth={pages_by[n].truth.get('title')!s:<30} got={t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
