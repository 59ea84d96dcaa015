"""Leave-one-source-out: judge every extraction rule on the evalset sources it was not
written for.

Every rule of ``cleaners.options.RULES`` is switched off in turn and the main-text F1 of
each source (cwced, magichtml, readability, n4k: the sources with a whole text as truth) is
measured. For a held-out source S, a rule is kept only when it earned its place on the
*other* sources: it adds more than ``TOLERANCE`` of F1 to at least one of them and costs
them nothing on average. S is then scored with the rules that earned their place elsewhere.
A rule written for one source's pages that does nothing anywhere else is thus not counted
when that source is scored. The worst source under
this procedure is the headline figure: the mean over pages one already has is not.

Also asks whether the confidence means something: of the records with F1 below 0.8, how
many carry the low_confidence flag or say they found no article (recall), and how many of
those are below 0.8 (precision) — on the evalset as cleaned, on the one-rule-off runs, and
on a run that keeps the second-best region of every page on purpose (a wrong story, a
sidebar, a footer: the mistakes the flag exists for).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from bench.evalset import Page, load_pages, prf
from cleaners import CleanOptions, clean
from cleaners.options import RULES
from bench.sources import source_of

TOLERANCE = 0.0005
BAD_F1 = 0.8


@dataclass(frozen=True)
class Scored:
    f1: float
    confidence: float | None
    low: bool             # carries the low_confidence warning
    status: str


def f1_pages() -> list[Page]:
    """Article pages whose truth is a whole text (hand-made or another tool's output)."""
    return [p for p in load_pages(("full_text", "tool_reference"))
            if p.page_type == "article" and p.truth.get("text")]


def _score(args) -> dict[str, Scored]:
    names, disabled, *rest = args
    options = CleanOptions(disabled=frozenset(disabled), runner_up=bool(rest and rest[0]))
    pages = {p.name: p for p in f1_pages()}
    out = {}
    for name in names:
        page = pages[name]
        rec = clean(page.raw(), url=page.url, options=options)
        conf = (rec.get("extraction") or {}).get("confidence")
        low = any(w.startswith("low_confidence") for w in rec["warnings"])
        out[name] = Scored(prf(rec["text"], page.truth["text"])[2], conf, low, rec["status"])
    return out


def source_means(results: dict[str, Scored]) -> dict[str, float]:
    by: dict[str, list[float]] = {}
    for name, s in results.items():
        by.setdefault(source_of(name), []).append(s.f1)
    return {src: sum(v) / len(v) for src, v in by.items()}


@dataclass
class Report:
    base: dict[str, Scored]
    ablations: dict[str, dict[str, Scored]]     # rule → results with that rule off
    runner_up: dict[str, Scored]                # the second-best region kept on purpose
    loso: dict[str, tuple[float, float, list[str]]]   # source → (F1 all rules, F1 LOSO, rules not earned)


def run(jobs: int | None = None) -> Report:
    pages = f1_pages()
    names = [p.name for p in pages]
    jobs = jobs or min(2, os.cpu_count() or 1)
    tasks = [(names, ()), (names, (), True)] + [(names, (rule,)) for rule in RULES]
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(_score, tasks))
    base, runner_up, ablations = results[0], results[1], dict(zip(RULES, results[2:]))
    base_means = source_means(base)
    off_means = {rule: source_means(res) for rule, res in ablations.items()}
    sources = sorted(base_means)
    configs = {}
    for held in sources:
        others = [s for s in sources if s != held]
        not_earned = [rule for rule in RULES if not _earned(base_means, off_means[rule], others)]
        configs[held] = not_earned
    held_tasks = [([n for n in names if source_of(n) == held], tuple(configs[held])) for held in sources]
    with ProcessPoolExecutor(jobs) as pool:
        held_results = list(pool.map(_score, held_tasks))
    loso = {}
    for held, res in zip(sources, held_results):
        loso[held] = (base_means[held], source_means(res)[held], configs[held])
    return Report(base, ablations, runner_up, loso)


def _earned(base: dict[str, float], off: dict[str, float], sources: list[str]) -> bool:
    """Does the rule add F1 to one of ``sources`` without costing them on average?"""
    gains = [base[s] - off[s] for s in sources]
    return max(gains) > TOLERANCE and sum(gains) / len(gains) >= -TOLERANCE


def flag_quality(records: list[Scored]) -> tuple[int, int, int, float | None, float | None]:
    """(records below BAD_F1, flagged, flagged and below, precision, recall) of low_confidence;
    an empty record counts as flagged (it says it found no article)."""
    bad = [r for r in records if r.f1 < BAD_F1]
    flagged = [r for r in records if r.low or r.status != "ok"]
    hit = [r for r in flagged if r.f1 < BAD_F1]
    precision = len(hit) / len(flagged) if flagged else None
    recall = len(hit) / len(bad) if bad else None
    return len(bad), len(flagged), len(hit), precision, recall
