"""Gaps 3 and 4 in the simulation: `beyond_standard`, `within_promise` and the five-gap verdicts.

Every expected value is an exact formula written here: a survival function of
the service-time distribution for the share of services beyond the standard,
the M/M/1 and Erlang C waiting-time distributions for the share started within
a promise, and plain counting where the run is deterministic. A stochastic
figure is checked against the run's own 95% interval widened to 1.7 half-widths
(about a 99.6% interval with ten replications), on fixed seeds.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import blueprint
from tests.sim_support import steady

EXP = "{dist: exponential, mean: %s}"
WIDEN = 1.7  # half-widths of the 95% interval a true value may lie from the mean


def covers(stat, truth: float, what: str, max_half: float = 0.02) -> None:
    """`truth` lies within the statistic's 95% interval widened to WIDEN half-widths, and the
    interval is narrow enough for the check to mean something."""
    assert stat is not None, f"{what}: no statistic"
    low, high = stat.ci95
    half = (high - low) / 2
    assert 0 < half <= max_half, f"{what}: 95% half-width {half:.4g} (run too short or degenerate)"
    assert abs(stat.mean - truth) <= WIDEN * half, (
        f"{what}: exact {truth:.6g}, simulated {stat.mean:.6g} with 95% interval "
        f"[{low:.6g}, {high:.6g}] (allowed ±{WIDEN * half:.4g})")


def exactly(stat, value: float, what: str) -> None:
    assert stat is not None, f"{what}: no statistic"
    assert stat.mean == value and stat.ci95 == [value, value], f"{what}: {stat!r}, expected {value}"


def day(steps: str, *, resources: str, per_hour: float, demand_extra: str = "",
        close: str = "17:00") -> str:
    """A service day 09:00–`close` in minutes, `steps` and `resources` given as YAML blocks."""
    return f"""\
blueprint: 1
name: Quality test
time_unit: min
horizon: {{open: "09:00", close: "{close}"}}
resources:
{textwrap.indent(textwrap.dedent(resources).strip(), "  ")}
demand:
  arrivals_per_hour: {per_hour!r}
{textwrap.indent(textwrap.dedent(demand_extra).strip(), "  ")}
steps:
{textwrap.indent(textwrap.dedent(steps).strip(), "  ")}
"""


def normal_survival(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def lognormal_survival(s: float, mean: float, sd: float) -> float:
    """P(S > s) for a lognormal of this mean and sd: sigma² = ln(1 + sd²/mean²), mu = ln mean − sigma²/2."""
    sigma2 = math.log(1 + (sd / mean) ** 2)
    mu = math.log(mean) - sigma2 / 2
    return normal_survival((math.log(s) - mu) / math.sqrt(sigma2))


def erlang_c(c: int, a: float) -> float:
    """Probability an arrival waits in M/M/c with offered load a = lambda/mu (< c)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


# --- gap 3: services beyond the standard -------------------------------------------------------


def test_fixed_durations_are_beyond_the_standard_never_or_always():
    text = day("""
        - {id: quick, zone: frontstage, resource: desk, duration: 3, standard: 4}
        - {id: slow, zone: frontstage, resource: desk, duration: 5, standard: 4}
        - {id: on_the_dot, zone: frontstage, resource: desk, duration: 4, standard: 4}
        - {id: unset, zone: backstage, resource: desk, duration: 2}
        """, resources="desk: {capacity: 40}", per_hour=20)
    results = blueprint.loads(text).simulate(replications=5, seed=2)
    steps = results.steps
    exactly(steps["quick"].beyond_standard, 0.0, "3 against a standard of 4")
    exactly(steps["slow"].beyond_standard, 1.0, "5 against a standard of 4")
    exactly(steps["on_the_dot"].beyond_standard, 0.0, "4 does not exceed a standard of 4")
    assert steps["unset"].beyond_standard is None
    # no promise anywhere: nothing to be within
    assert all(s.within_promise is None for s in steps.values())


@pytest.mark.parametrize("duration, standard, truth", [
    pytest.param(EXP % 3, 4, math.exp(-4 / 3), id="exponential: e^(-s/m)"),
    pytest.param(EXP % 2, 0.5, math.exp(-0.5 / 2), id="exponential, short standard"),
    pytest.param("{dist: lognormal, mean: 4, sd: 2}", 5, lognormal_survival(5, 4, 2), id="lognormal"),
    pytest.param("{dist: uniform, low: 2, high: 6}", 5, (6 - 5) / (6 - 2), id="uniform(2,6): 0.25"),
])
def test_share_beyond_standard_is_the_service_time_survival(duration, standard, truth):
    # ample capacity (60 servers, offered load 3 at most): the standard is about service only
    bp = steady(f"- {{id: serve, zone: frontstage, resource: desk, duration: {duration}, "
                f"standard: {standard}}}", length=4000, warmup=10, rate_per_min=1.0,
                resources="desk: {capacity: 60}")
    results = bp.simulate(replications=10, seed=31)
    covers(results.steps["serve"].beyond_standard, truth, f"P(S > {standard})", max_half=0.01)


def test_every_redo_is_an_execution_held_to_the_standard():
    # fixed 5 against 4: the first service and every redo are all beyond it
    text = day("""
        - id: serve
          zone: frontstage
          resource: desk
          duration: 5
          standard: 4
          fail_points: [{id: again, name: Done again, p: 0.5, effect: redo, recovery: Redo}]
        """, resources="desk: {capacity: 60}", per_hour=30)
    results = blueprint.loads(text).simulate(replications=6, seed=5)
    exactly(results.steps["serve"].beyond_standard, 1.0, "fixed 5 > 4, redos included")
    entries = sum(r["steps"]["serve"]["entries"] for r in results.runs)
    visits = entries / sum(r["arrivals"] for r in results.runs)
    assert 1.8 < visits < 2.2, f"redo p 0.5 should give ~2 executions a customer, got {visits:.3f}"


def test_share_beyond_standard_is_per_execution_not_per_customer():
    # uniform(2, 6) against 5, redo with p 0.5: executions per customer K are geometric,
    # P(K = k) = 0.5^k. Per execution the share stays P(S > 5) = 0.25. Counted per customer
    # it would be P(any of K beyond) = 1 − Σ 0.5^k 0.75^k = 1 − 0.375/0.625 = 0.4, and
    # over-standard executions per customer would be 0.25 E[K] = 0.5.
    p_redo, p_beyond = 0.5, 0.25
    per_customer_any = 1 - (p_redo * (1 - p_beyond)) / (1 - p_redo * (1 - p_beyond))
    per_customer_count = p_beyond / (1 - p_redo)
    bp = steady("""
        - id: serve
          zone: frontstage
          resource: desk
          duration: {dist: uniform, low: 2, high: 6}
          standard: 5
          fail_points: [{id: again, name: Done again, p: 0.5, effect: redo, recovery: Redo}]
        """, length=3000, warmup=10, rate_per_min=1.0, resources="desk: {capacity: 80}")
    results = bp.simulate(replications=10, seed=37)
    stat = results.steps["serve"].beyond_standard
    covers(stat, p_beyond, "per-execution share with redos", max_half=0.01)
    low, high = stat.ci95
    for wrong in (per_customer_any, per_customer_count):
        assert not (low - WIDEN * (high - low) <= wrong <= high + WIDEN * (high - low)), (
            f"share {stat.mean:.4f} cannot be told from the per-customer figure {wrong:.4f}")


# --- gap 4: customers started within the promise ----------------------------------------------


@pytest.mark.parametrize("within", [0, 2, 6])
def test_within_promise_in_mm1_is_the_waiting_time_distribution(within):
    # M/M/1, lambda 0.7, mu 1: P(Wq <= t) = 1 − rho e^(−mu (1 − rho) t)
    lam, mu = 0.7, 1.0
    rho = lam / mu
    truth = 1 - rho * math.exp(-mu * (1 - rho) * within)
    bp = steady(f"- {{id: serve, zone: frontstage, resource: clerk, duration: {EXP % (1 / mu)}, "
                f"tolerance: {within}, promise: {{within: {within}, share: 0.9}}}}",
                length=12000, warmup=500, rate_per_min=lam, resources="clerk: {capacity: 1}")
    results = bp.simulate(replications=10, seed=41 + within)
    step = results.steps["serve"]
    covers(step.within_promise, truth, f"M/M/1 P(Wq <= {within})")
    # the promise and a tolerance of the same length follow the same rule
    assert step.within_promise == step.within_tolerance


def test_within_promise_in_mmc_is_one_minus_erlang_c_tail():
    # M/M/3, lambda 2.4, mu 1: P(Wq <= t) = 1 − C(3, 2.4) e^(−(c mu − lambda) t)
    c, lam, mu, t = 3, 2.4, 1.0, 1.0
    truth = 1 - erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % (1 / mu)}, "
                f"promise: {{within: {t}, share: 0.8, says: \"served within a minute\"}}}}",
                length=8000, warmup=400, rate_per_min=lam, resources=f"server: {{capacity: {c}}}")
    results = bp.simulate(replications=10, seed=43)
    covers(results.steps["serve"].within_promise, truth, "M/M/3 P(Wq <= 1)")


def test_gap4_verdict_follows_the_interval_not_the_mean():
    # M/M/1 as above, promise of 2: delivered ≈ 1 − 0.7 e^(−0.6). The verdict against a
    # promised share: kept when the whole interval reaches it, broken when the whole
    # interval falls short, too close to call when it lies inside (the mean itself).
    truth = 1 - 0.7 * math.exp(-0.3 * 2)
    model = ("- {{id: serve, zone: frontstage, resource: clerk, duration: {{dist: exponential, mean: 1}}, "
             "promise: {{within: 2, share: {share!r}}}}}")
    settings = dict(length=12000, warmup=500, rate_per_min=0.7, resources="clerk: {capacity: 1}")
    results = steady(model.format(share=0.5), **settings).simulate(replications=10, seed=43)
    delivered = results.steps["serve"].within_promise
    covers(delivered, truth, "M/M/1 P(Wq <= 2)")  # so truth ± 0.1 lies wholly beyond the interval
    for share, verdict in ((truth - 0.1, "kept"), (truth + 0.1, "broken"),
                           (delivered.mean, "too close to call")):
        (promise,) = steady(model.format(share=share), **settings).gaps(results).gap4.promises
        assert promise.delivered == delivered
        assert promise.verdict == verdict, f"share {share:.4f} against {delivered!r}"


def test_promise_with_ample_capacity_is_kept_exactly():
    # fixed service 3 and 30 servers at 0.5 arrivals a minute: 30 arrivals within 3 minutes
    # (Poisson mean 1.5) never happen, so nobody waits.
    text = day("""
        - id: desk
          zone: frontstage
          resource: clerk
          duration: 3
          standard: 2
          tolerance: 1
          promise: {within: 1, share: 0.95, says: "Straight to a clerk"}
        - {id: leave, zone: backstage, duration: 1}
        """, resources="clerk: {capacity: 30}", per_hour=30)
    bp = blueprint.loads(text)
    results = bp.simulate(replications=6, seed=7)
    exactly(results.steps["desk"].within_promise, 1.0, "nobody waits")
    assert results.steps["leave"].within_promise is None
    gaps = bp.gaps(results)
    (promise,) = gaps.gap4.promises
    assert (promise.step, promise.within, promise.share, promise.says) == ("desk", 1, 0.95,
                                                                          "Straight to a clerk")
    exactly(promise.delivered, 1.0, "gap 4 delivered")
    assert promise.verdict == "kept"
    (delivery,) = gaps.gap3.steps  # only `desk` has a standard or a tolerance
    assert delivery.step == "desk"
    exactly(delivery.beyond_standard, 1.0, "fixed 3 > standard 2")
    exactly(delivery.beyond_tolerance, 0.0, "nobody waits beyond the tolerance")


@pytest.mark.parametrize("leaving, lost", [
    pytest.param("balk_at: 0", "balked", id="balking"),
    pytest.param("patience: 0.01", "reneged", id="reneging before the promised wait"),
])
def test_customers_who_leave_break_the_promise(leaving, lost):
    # One server held all day by the first customer (fixed 1000 min > the 480-min day): every
    # later arrival balks at once, or reneges after 0.01 min — well inside the promised 5, yet
    # never started. Each day exactly one of its N arrivals is started within the promise, so
    # the share is 1/N that day, and its mean over the days is mean(1/N).
    text = day(f"""
        - id: counter
          zone: frontstage
          resource: clerk
          duration: 1000
          standard: 30
          tolerance: 5
          {leaving}
          promise: {{within: 5, share: 0.9}}
        """, resources="clerk: {capacity: 1}", per_hour=30)
    bp = blueprint.loads(text)
    results = bp.simulate(replications=6, seed=11)
    arrivals = [r["arrivals"] for r in results.runs]
    assert all(n > 100 for n in arrivals)
    assert [r["steps"]["counter"][lost] for r in results.runs] == [n - 1 for n in arrivals]
    truth = sum(1 / n for n in arrivals) / len(arrivals)
    step = results.steps["counter"]
    assert step.within_promise.mean == pytest.approx(truth, rel=1e-12)
    exactly(step.beyond_standard, 1.0, "the one service, 1000 > 30")
    (promise,) = bp.gaps(results).gap4.promises
    assert promise.delivered.mean == pytest.approx(truth, rel=1e-12)
    assert promise.delivered.ci95[1] < 0.1, "far below the promised share"
    assert promise.verdict == "broken"
    (delivery,) = bp.gaps(results).gap3.steps
    assert delivery.beyond_tolerance.mean == pytest.approx(1 - truth, rel=1e-12)


# --- the JSON of `blueprint simulate --json` ----------------------------------------------------

CLI_MODEL = """\
blueprint: 1
name: Quality on the command line
time_unit: min
horizon: {open: "09:00", close: "15:00"}
resources:
  desk: {capacity: 1}
  back: {capacity: 50}
demand: {arrivals_per_hour: 40}
steps:
  - {id: both, zone: frontstage, resource: desk, duration: {dist: exponential, mean: 1.2},
     standard: 1, promise: {within: 3, share: 0.8, says: "Within three minutes"}}
  - {id: standard_only, zone: backstage, resource: back, duration: 2, standard: 1.5}
  - {id: promise_only, zone: frontstage, duration: 1, promise: {within: 0, share: 1}}
  - {id: neither, zone: backstage, resource: back, duration: {dist: uniform, low: 1, high: 2}}
"""


def _blueprint_command() -> str:
    beside = Path(sys.executable).with_name("blueprint")
    found = str(beside) if beside.exists() else shutil.which("blueprint")
    assert found, "the blueprint command is not installed"
    return found


def test_simulate_json_carries_both_figures_and_does_not_depend_on_jobs(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(CLI_MODEL, encoding="utf-8")
    written = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}.json"
        run = subprocess.run([_blueprint_command(), "simulate", str(model), "-n", "6", "--seed", "9",
                              "--jobs", str(jobs), "--json", str(out), "--output-format", "json"],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        written[jobs] = out.read_bytes()
    assert written[1] == written[2], "--jobs 1 and --jobs 2 wrote different results"

    steps = json.loads(written[1])["steps"]
    for sid in ("both", "standard_only", "promise_only", "neither"):
        assert "beyond_standard" in steps[sid] and "within_promise" in steps[sid], sid
    assert steps["neither"]["beyond_standard"] is None and steps["neither"]["within_promise"] is None
    assert steps["standard_only"]["within_promise"] is None
    assert steps["promise_only"]["beyond_standard"] is None
    assert steps["standard_only"]["beyond_standard"] == {"mean": 1.0, "ci95": [1.0, 1.0]}
    # a step without a resource: nobody waits, so everyone starts within even a promise of 0
    assert steps["promise_only"]["within_promise"] == {"mean": 1.0, "ci95": [1.0, 1.0]}
    for key in ("beyond_standard", "within_promise"):
        stat = steps["both"][key]
        assert set(stat) == {"mean", "ci95"}
        assert 0 < stat["mean"] < 1 and stat["ci95"][0] <= stat["mean"] <= stat["ci95"][1], (key, stat)

    # the file says what the Python API says for the same seed
    same = blueprint.loads(CLI_MODEL).simulate(replications=6, seed=9)
    for key in ("beyond_standard", "within_promise"):
        stat = getattr(same.steps["both"], key)
        assert steps["both"][key] == {"mean": stat.mean, "ci95": stat.ci95}, key
