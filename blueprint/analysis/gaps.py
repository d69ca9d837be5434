"""The five gaps of service quality, each with the evidence the toolkit has for it.

Parasuraman, Zeithaml & Berry (1985) explain the customer's gap (gap 5:
perceived against expected service) by four gaps inside the firm: not knowing
what customers expect (1), not turning it into standards (2), not delivering
to the standards (3), and promising more than is delivered (4). The blueprint
is the named cure for gap 2, and the simulation measures gaps 3 and 4; a
survey gives gap 5, and a management questionnaire gap 1. Definitions:
docs/quality.md.
"""

from __future__ import annotations

import json
import math
import os
import statistics as stats
from collections import defaultdict
from collections.abc import Sequence

from pydantic import ValidationError

from blueprint.analysis.quality import estimate, respondent_means
from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.files import InputError, read_input
from blueprint.model import ServiceModel, Step
from blueprint.results import SimulationResults, Statistic
from blueprint.results.quality import (
    Delivery,
    Estimate,
    FiveGaps,
    Gap1,
    Gap3,
    Gap4,
    Gap5,
    KnowledgeGap,
    PromiseKept,
    Quality,
    StandardsFinding,
    StandardsGap,
)
from blueprint.survey import Answer, Survey, moments_of_truth, read_responses, read_survey

__all__ = ["five_gaps", "knowledge_gap", "read_evidence", "read_results", "standards_gap", "welch"]


def read_results(path: str | os.PathLike[str], model: ServiceModel | None = None) -> SimulationResults:
    """A results file of ``blueprint simulate --json`` (of `model`, if given), or
    :class:`ModelError` saying why not."""
    name = os.fspath(path)
    try:
        data = json.loads(read_input(path).decode("utf-8-sig"), parse_constant=_no_constant)
        results = SimulationResults.model_validate(data)
    except InputError as exc:
        raise ModelError([Diagnostic(exc.path, 1, 1, exc.code, exc.reason)]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        raise ModelError([Diagnostic(name, line, col, "bad-results", f"not JSON: {exc}")]) from None
    except RecursionError:
        raise ModelError([Diagnostic(name, 1, 1, "bad-results", "nested too deeply to be the results "
                                                               "of `blueprint simulate --json`")]) from None
    except ValueError as exc:  # NaN or infinity (refused above), or a number of thousands of digits
        raise ModelError([Diagnostic(name, 1, 1, "bad-results", f"not results: {exc}")]) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        raise ModelError([Diagnostic(name, 1, 1, "bad-results",
                                     f"not the results of `blueprint simulate --json`: {where}: "
                                     f"{first['msg']}")]) from None
    if model is not None:
        _require_model(results, model, name)
    return results


def _no_constant(word: str) -> float:
    raise ValueError(f"{word} is not a figure a simulation writes")


def _require_model(results: SimulationResults, model: ServiceModel, name: str) -> None:
    """Results of this very model, simulated with its standards and promises."""
    ours = {s.id for s in model.steps}
    if results.model != model.name or not ours <= set(results.steps):
        missing = sorted(ours - set(results.steps))
        why = (f"they are the results of {results.model!r}, not of {model.name!r}"
               if results.model != model.name else
               f"they have no step {missing[0]!r}" + (f" (nor {len(missing) - 1} more)" if len(missing) > 1
                                                      else ""))
        raise ModelError([Diagnostic(name, 1, 1, "bad-results",
                                     f"{why}: simulate this model again (blueprint simulate --json)")])
    if results.replications < 1:
        raise ModelError([Diagnostic(name, 1, 1, "bad-results",
                                     f"{results.replications} replications: not a simulation's results")])
    for s in model.steps:
        for key in ("within_tolerance", "within_promise", "beyond_standard"):
            share = getattr(results.steps[s.id], key)
            # (a Student-t interval of a share may run past 0 or 1; its mean may not)
            if share is not None and not (0 <= share.mean <= 1 and all(map(math.isfinite, share.ci95))):
                raise ModelError([Diagnostic(name, 1, 1, "bad-results",
                                             f"steps.{s.id}.{key} is not a share from 0 to 1")])
    stale = [s.id for s in model.steps
             if (s.promise is not None and results.steps[s.id].within_promise is None
                 and results.steps[s.id].entries is not None)
             or (s.standard is not None and results.steps[s.id].beyond_standard is None
                 and results.steps[s.id].service.mean is not None)]
    if stale:
        raise ModelError([Diagnostic(name, 1, 1, "bad-results",
                                     f"these results lack the delivery figures of {stale[0]!r} (its "
                                     "promise or standard is newer than the run): simulate the model "
                                     "again")])


def read_evidence(model: ServiceModel, survey: str | os.PathLike[str] | None,
                  respondents: str | os.PathLike[str] | None,
                  management: str | os.PathLike[str] | None,
                  scale: tuple[float, float]) -> tuple[Survey | None, list[Answer] | None]:
    """The customer survey and the managers' answers, every error of every file reported at
    once (:class:`ModelError`). Managers' answers mean nothing without customers' to set them
    against, nor respondents without their answers: a ValueError says so."""
    if respondents is not None and survey is None:
        raise ValueError("a respondents file goes with the survey's answers: give the survey too")
    problems: list[Diagnostic] = []
    answers = managers = None
    if survey is not None:
        try:
            answers = read_survey(model, survey, respondents, scale=scale)
        except ModelError as exc:
            problems += exc.diagnostics
    if management is not None:
        managers, _ = read_responses(model, management, scale=scale, problems=problems,
                                     management=True)
    if problems:
        raise ModelError(problems)
    return answers, managers


def welch(a: Sequence[float], b: Sequence[float]) -> Estimate | None:
    """mean(a) − mean(b) with Welch's 95% interval (Welch–Satterthwaite degrees of freedom)."""
    if not a or not b:
        return None
    diff = math.fsum(a) / len(a) - math.fsum(b) / len(b)
    if len(a) < 2 or len(b) < 2:
        return Estimate(mean=diff, ci95=None, n=len(a) + len(b))
    va, vb = stats.variance(a) / len(a), stats.variance(b) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return Estimate(mean=diff, ci95=[diff, diff], n=len(a) + len(b))
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    from scipy.special import stdtrit  # here: scipy is slow to import, and only gap 1 needs it

    half = float(stdtrit(df, 0.975)) * se
    return Estimate(mean=diff, ci95=[diff - half, diff + half], n=len(a) + len(b))


def knowledge_gap(customers: Sequence[Answer], managers: Sequence[Answer]) -> Gap1:
    """Gap 1: what managers predict customers expect, against what customers expect."""
    def expectation(a: Answer) -> float | None:
        return a.expectation

    def compare(cust: Sequence[Answer], mgmt: Sequence[Answer]) -> KnowledgeGap | None:
        c, m = respondent_means(cust, expectation), respondent_means(mgmt, expectation)
        gap = welch(m, c)
        me, ce = estimate(m), estimate(c)
        if gap is None or me is None or ce is None:
            return None
        return KnowledgeGap(management=me, customers=ce, gap=gap)

    dims: dict[str, KnowledgeGap] = {}
    points: dict[str, KnowledgeGap] = {}
    by: dict[tuple[str, str], tuple[list[Answer], list[Answer]]] = defaultdict(lambda: ([], []))
    for side, rows in ((0, customers), (1, managers)):
        for a in rows:
            by[("dimension", a.dimension)][side].append(a)
            if a.step is not None:
                by[("step", a.step)][side].append(a)
    for (kind, key), (cust, mgmt) in by.items():
        found = compare(cust, mgmt)
        if found is not None:
            (dims if kind == "dimension" else points)[key] = found
    order = {d: i for i, d in enumerate(("tangibles", "reliability", "responsiveness", "assurance",
                                         "empathy"))}
    return Gap1(managers=len({a.respondent for a in managers}),
                dimensions=dict(sorted(dims.items(), key=lambda kv: order[kv[0]])),
                touchpoints=points)


def _findings(step: Step, stated: float | None, unit: str) -> list[str]:
    found = []
    if step.standard is None and step.tolerance is None:
        found.append("no standard and no tolerance: nothing says what good delivery is here")
    elif step.standard is None and step.resource is not None:
        found.append("no execution standard: how long the step should take is not set")
    elif step.tolerance is None and step.resource is not None:
        found.append("no tolerance: the wait customers accept here is not set")
    promise = step.promise.within if step.promise is not None else None
    if promise is not None and step.tolerance is not None and promise > step.tolerance:
        found.append(f"the promise ({promise:g} {unit}) is looser than the tolerance "
                     f"({step.tolerance:g} {unit})")
    if stated is not None:
        if step.tolerance is not None and step.tolerance > stated:
            found.append(f"the tolerance ({step.tolerance:g} {unit}) is looser than customers "
                         f"say they accept ({stated:g} {unit}, median)")
        if promise is not None and promise > stated:
            found.append(f"the promise ({promise:g} {unit}) is looser than customers say they "
                         f"accept ({stated:g} {unit}, median)")
    return found


def standards_gap(model: ServiceModel, quality: Quality | None = None) -> StandardsGap:
    """Gap 2: every moment of truth with what is missing or too loose in its standards."""
    rows = []
    for step in moments_of_truth(model):
        answered = quality.touchpoints.get(step.id) if quality is not None else None
        stated = answered.stated_tolerance if answered is not None else None
        rows.append(StandardsFinding(
            step=step.id, name=step.label, zone=step.zone, standard=step.standard,
            tolerance=step.tolerance, promise=step.promise.within if step.promise else None,
            stated_tolerance=stated, findings=_findings(step, stated, model.time_unit)))
    return StandardsGap(without_standard=[f.step for f in rows if f.standard is None and f.tolerance is None],
                        no_standard=[f.step for f in rows if f.standard is None],
                        no_tolerance=[f.step for f in rows if f.tolerance is None],
                        touchpoints=rows)


def _beyond(within: Statistic | None) -> Statistic | None:
    if within is None:
        return None
    return Statistic(mean=1 - within.mean, ci95=[1 - within.ci95[1], 1 - within.ci95[0]])


def _verdict(delivered: Statistic | None, share: float) -> str:
    if delivered is None:
        return "no visits"
    if delivered.ci95[0] >= share - 1e-12:
        return "kept"
    return "broken" if delivered.ci95[1] < share else "too close to call"


def five_gaps(model: ServiceModel, results: SimulationResults | None = None,
              quality: Quality | None = None, customers: Sequence[Answer] = (),
              managers: Sequence[Answer] | None = None) -> FiveGaps:
    """The five gaps from what is known: the model always; a simulation (gaps 3, 4); a survey's
    quality document and answers (gaps 5, and customers' stated waits in gap 2); managers'
    answers (gap 1)."""
    notes = []
    gap3 = gap4 = None
    if results is not None:
        steps = results.steps
        delivery = [Delivery(step=s.id, name=s.label, standard=s.standard, tolerance=s.tolerance,
                             beyond_standard=steps[s.id].beyond_standard if s.id in steps else None,
                             beyond_tolerance=(_beyond(steps[s.id].within_tolerance)
                                               if s.id in steps else None))
                    for s in model.steps if s.standard is not None or s.tolerance is not None]
        gap3 = Gap3(replications=results.replications, steps=delivery)
        promises = []
        for s in model.steps:
            if s.promise is None:
                continue
            delivered = steps[s.id].within_promise if s.id in steps else None
            promises.append(PromiseKept(step=s.id, name=s.label, within=s.promise.within,
                                        share=s.promise.share, says=s.promise.says, delivered=delivered,
                                        verdict=_verdict(delivered, s.promise.share)))  # type: ignore[arg-type]
        gap4 = Gap4(replications=results.replications, promises=promises)
        if not promises:
            notes.append("gap 4: no step makes a `promise` (e.g. promise: {within: 5, share: 0.9, "
                         "says: \"served within 5 minutes\"}), so there is nothing to hold delivery to")
    else:
        notes.append("gaps 3 and 4 need a simulation of the model")
    gap5 = None
    if quality is not None:
        gap5 = Gap5(servqual=quality.servqual, dimensions={d: q.gap for d, q in quality.dimensions.items()},
                    worst=quality.worst[:5])
    else:
        notes.append("gap 5 needs a customer survey (--survey)")
    gap1 = None
    if managers is not None and customers:
        gap1 = knowledge_gap(customers, managers)
    elif managers is not None:
        notes.append("gap 1 sets the managers' answers against customers': it needs the customer "
                     "survey too (--survey)")
    else:
        notes.append("gap 1 needs a management questionnaire (--management) and a customer survey")
    return FiveGaps(model=model.name, time_unit=model.time_unit, gap1=gap1,
                    gap2=standards_gap(model, quality), gap3=gap3, gap4=gap4, gap5=gap5, notes=notes)
