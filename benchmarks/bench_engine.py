"""How fast the simulation engine is, beside a hand-written SimPy model and Ciw.

Every peer simulates the same queues, on the same machine, in one run, and the
table gives customers served per wall-clock second and throughput ratios
("blueprint / simpy-minimal", "blueprint / ciw": above 1 means blueprint is
faster). Only the simulation is timed: not the YAML loading, not the imports.

Scenarios (time unit: minutes; each peer runs for the horizon L = N / lambda,
so about N customers arrive):

- "M/M/3": lambda = 2.7/min, mu = 1/min, 3 servers (rho = 0.9);
- "5-step tandem": lambda = 0.8/min through 5 stations in series, each one
  server with mu = 1/min (rho = 0.8 at every station; a Jackson network, so
  the mean wait at each station is rho / (mu - lambda) = 4 min).

Peers: (a) "simpy-minimal", a SimPy model as a competent user writes it
(``simpy.Resource``, ``with res.request() as req``, ``random.expovariate`` with
a fixed seed, counting customers served); (b) "ciw", ``ciw.create_network``
with exponential distributions, ``simulate_until_max_time(L)``, counting the
customers who reached the exit node; (c) "blueprint", the model written as
YAML, ``blueprint.loads(text).simulate(replications=1, seed=1, jobs=1)``,
after one tiny warm-up call so the engine's lazy import is not timed.

Targets (reported, never asserted: the script always exits 0):

- blueprint at least 1.0x the throughput of simpy-minimal, and 2.0x Ciw's
  (loop against loop here; bench_commands.py measures whole processes);
- ``jobs=2`` at least 1.7x faster than ``jobs=1`` (M/M/3, 20 replications);
- peak memory under 400 MB for 1,000,000 customers through
  ``models/bank_branch.yaml`` (opt-in: ``--memory``, it takes minutes).

Run from the repository root:

    .venv/bin/python benchmarks/bench_engine.py [--customers 200000] [--repeats 1]
        [--jobs-customers 20000] [--jobs-replications 20] [--memory] [--profile]
        [--skip-ciw] [--skip-jobs]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import random
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ciw
import simpy
import yaml

import blueprint

ROOT = Path(__file__).resolve().parent.parent
BANK_MODEL = ROOT / "models" / "bank_branch.yaml"

SIMPY_TARGET = 1.0          # blueprint / simpy-minimal throughput, at least
CIW_TARGET = 2.0            # blueprint / ciw throughput, at least
JOBS_TARGET = 1.7           # time(jobs=1) / time(jobs=2), at least
MEMORY_TARGET_MB = 400.0    # peak RSS for 1,000,000 bank customers, under
MEMORY_CUSTOMERS = 1_000_000


@dataclass(frozen=True)
class Scenario:
    """Poisson arrivals at `rate` through `stations` in series, each (servers, service rate)."""

    name: str
    rate: float                          # arrivals per minute
    stations: tuple[tuple[int, float], ...]

    def horizon(self, customers: int) -> float:
        """Run length (min) in which `customers` arrive on average."""
        return customers / self.rate

    def expected_wait(self) -> list[float]:
        """Mean wait in queue at each station (Erlang C; exact for a Jackson network)."""
        return [erlang_c_wait(self.rate, mu, c) for c, mu in self.stations]


SCENARIOS = (
    Scenario("M/M/3", 2.7, ((3, 1.0),)),
    Scenario("5-step tandem", 0.8, ((1, 1.0),) * 5),
)


@dataclass
class Run:
    peer: str
    served: int | None = None
    seconds: float | None = None
    note: str = ""
    extra: dict[str, Any] | None = None

    @property
    def throughput(self) -> float | None:
        if self.served is None or not self.seconds:
            return None
        return self.served / self.seconds


class EngineUnavailable(Exception):
    """blueprint's engine is not there yet (no `simulate`, or NotImplementedError)."""


def erlang_c_wait(rate: float, mu: float, servers: int) -> float:
    load = rate / mu
    rho = load / servers
    top = load**servers / math.factorial(servers) / (1 - rho)
    p_wait = top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)
    return p_wait / (servers * mu - rate)


# --- peers -------------------------------------------------------------------------------


def run_simpy(scenario: Scenario, horizon: float, seed: int = 1) -> int:
    """The SimPy model a competent user would write: one process per customer."""
    rng = random.Random(seed)
    env = simpy.Environment()
    stations = [(simpy.Resource(env, capacity=c), mu) for c, mu in scenario.stations]
    served = 0

    def customer():
        nonlocal served
        for resource, mu in stations:
            with resource.request() as req:
                yield req
                yield env.timeout(rng.expovariate(mu))
        served += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(scenario.rate))
            env.process(customer())

    env.process(source())
    env.run(until=horizon)
    return served


def run_ciw(scenario: Scenario, horizon: float, seed: int = 1) -> int:
    k = len(scenario.stations)
    routing = [[1.0 if j == i + 1 else 0.0 for j in range(k)] for i in range(k)]
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(scenario.rate)] + [None] * (k - 1),
        service_distributions=[ciw.dists.Exponential(mu) for _, mu in scenario.stations],
        number_of_servers=[c for c, _ in scenario.stations],
        routing=routing,
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon)
    return len(sim.nodes[-1].all_individuals)     # the exit node: customers who finished


def blueprint_yaml(scenario: Scenario, customers: int) -> str:
    """The scenario as a model file (docs/model-format.md): one resource and one step per station."""
    lines = [
        "blueprint: 1",
        f"name: Benchmark {scenario.name}",
        "time_unit: min",
        f"horizon: {{length: {scenario.horizon(customers)!r}, warmup: 0}}",
        "resources:",
        *(f"  station_{i}: {{capacity: {c}}}" for i, (c, _) in enumerate(scenario.stations)),
        f"demand: {{arrivals_per_hour: {scenario.rate * 60!r}}}",
        "steps:",
    ]
    for i, (_, mu) in enumerate(scenario.stations):
        lines += [
            f"  - id: step_{i}",
            "    zone: frontstage",
            f"    resource: station_{i}",
            f"    duration: {{dist: exponential, mean: {1 / mu!r}}}",
        ]
    return "\n".join(lines) + "\n"


def simulate(bp: Any, **kwargs: Any) -> Any:
    """bp.simulate(**kwargs), or EngineUnavailable if the engine is not written yet."""
    try:
        method = bp.simulate
    except AttributeError as exc:
        raise EngineUnavailable(f"Blueprint has no `simulate` yet ({exc})") from None
    try:
        return method(**kwargs)
    except (NotImplementedError, ImportError) as exc:
        raise EngineUnavailable(f"bp.simulate raised {type(exc).__name__}: {exc}") from None
    except AttributeError as exc:
        raise EngineUnavailable(f"bp.simulate raised AttributeError: {exc}") from None


def run_blueprint(scenario: Scenario, customers: int) -> tuple[int, float, dict[str, Any]]:
    bp = blueprint.loads(blueprint_yaml(scenario, customers), name=f"<{scenario.name}>")
    start = time.perf_counter()
    result = simulate(bp, replications=1, seed=1, jobs=1)
    seconds = time.perf_counter() - start
    data = result.to_dict()
    return round(data["system"]["served"]["mean"]), seconds, data


def warm_up() -> str:
    """One tiny run first, so that importing the engine (lazily, inside `simulate`) is not timed."""
    bp = blueprint.loads(blueprint_yaml(SCENARIOS[0], 100), name="<warm-up>")
    start = time.perf_counter()
    try:
        simulate(bp, replications=1, seed=1, jobs=1)
    except Exception as exc:
        return f"blueprint warm-up failed ({type(exc).__name__}: {exc})"
    seconds = time.perf_counter() - start
    return f"blueprint's first simulate call (imports the engine): {seconds:.2f} s, not timed"


def timed(repeats: int, action) -> tuple[Any, float]:
    """The result of the fastest of `repeats` runs, and its time."""
    best: tuple[Any, float] | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = action()
        seconds = time.perf_counter() - start
        if best is None or seconds < best[1]:
            best = (value, seconds)
    assert best is not None
    return best


def bench_scenario(scenario: Scenario, args: argparse.Namespace) -> list[Run]:
    horizon = scenario.horizon(args.customers)
    runs = []
    served, seconds = timed(args.repeats, lambda: run_simpy(scenario, horizon))
    runs.append(Run("simpy-minimal", served, seconds))
    if args.skip_ciw:
        runs.append(Run("ciw", note="skipped (--skip-ciw)"))
    else:
        served, seconds = timed(args.repeats, lambda: run_ciw(scenario, horizon))
        runs.append(Run("ciw", served, seconds))
    try:
        best: tuple[int, float, dict[str, Any]] | None = None
        for _ in range(args.repeats):
            out = run_blueprint(scenario, args.customers)
            if best is None or out[1] < best[1]:
                best = out
        assert best is not None
        runs.append(Run("blueprint", best[0], best[1], extra=best[2]))
    except EngineUnavailable as exc:
        runs.append(Run("blueprint", note=f"skipped: {exc}"))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        runs.append(Run("blueprint", note=f"ERROR {type(exc).__name__}: {exc} "
                                          f"(at {where.filename}:{where.lineno})"))
    return runs


# --- reporting ---------------------------------------------------------------------------


def ratio(runs: list[Run], peer: str) -> float | None:
    by = {r.peer: r for r in runs}
    ours, theirs = by["blueprint"].throughput, by[peer].throughput
    return ours / theirs if ours and theirs else None


def verdict(value: float | None, target: float, at_least: bool = True) -> str:
    if value is None:
        return "not measured"
    met = value >= target if at_least else value < target
    return "met" if met else "NOT met"


def fmt(value: float | None, spec: str, missing: str = "-", suffix: str = "") -> str:
    return missing if value is None else format(value, spec) + suffix


def print_speed_table(results: list[tuple[Scenario, list[Run]]], customers: int) -> None:
    print(f"\nThroughput ({customers:,} expected arrivals per scenario; wall time of the run only)\n")
    head = (f"{'scenario':<15} {'peer':<14} {'served':>9} {'seconds':>8} {'customers/s':>12}  "
            f"{'bp / simpy-min':>14} {'bp / ciw':>9}")
    print(head)
    print("-" * len(head))
    for scenario, runs in results:
        for run in runs:
            vs_simpy = vs_ciw = ""
            if run.peer == "blueprint":
                vs_simpy = fmt(ratio(runs, "simpy-minimal"), ".2f", "-", "x")
                vs_ciw = fmt(ratio(runs, "ciw"), ".2f", "-", "x")
            print(f"{scenario.name:<15} {run.peer:<14} {fmt(run.served, ',d'):>9} "
                  f"{fmt(run.seconds, '.2f'):>8} {fmt(run.throughput, ',.0f'):>12}  "
                  f"{vs_simpy:>14} {vs_ciw:>9}")
            if run.note:
                print(f"{'':<15} {run.note}")
    print()
    for scenario, runs in results:
        r_simpy, r_ciw = ratio(runs, "simpy-minimal"), ratio(runs, "ciw")
        print(f"target {scenario.name}: blueprint / simpy-minimal >= {SIMPY_TARGET}x: "
              f"{fmt(r_simpy, '.2f', '', 'x ')}{verdict(r_simpy, SIMPY_TARGET)}; "
              f"blueprint / ciw >= {CIW_TARGET}x: {fmt(r_ciw, '.2f', '', 'x ')}{verdict(r_ciw, CIW_TARGET)}")


def sanity(results: list[tuple[Scenario, list[Run]]], customers: int) -> None:
    """Does blueprint's run look like the queue it models? Counts, waits and utilisation."""
    notes = []
    sharp = customers >= 100_000     # one run of fewer customers is too noisy to judge waits by
    for scenario, runs in results:
        by = {r.peer: r for r in runs}
        data = by["blueprint"].extra
        if data is None:
            continue
        system = data["system"]
        arrivals, served = system["arrivals"]["mean"], system["served"]["mean"]
        slack = 5 * math.sqrt(customers) + 100   # Poisson spread of the count, plus those inside
        peers = [r.served for r in runs if r.peer != "blueprint" and r.served is not None]
        line = (f"{scenario.name}: blueprint arrivals {arrivals:,.0f}, served {served:,.0f} "
                f"(expected about {customers:,}; peers served {', '.join(f'{p:,}' for p in peers)})")
        if abs(arrivals - customers) > slack or abs(served - customers) > slack:
            line += "  <-- far from the expected count"
        notes.append(line)
        for i, want in enumerate(scenario.expected_wait()):
            step = data["steps"].get(f"step_{i}", {})
            wait = step.get("wait", {}).get("mean", {}).get("mean")
            util = data["resources"].get(f"station_{i}", {}).get("utilization", {}).get("mean")
            c, mu = scenario.stations[i]
            rho = scenario.rate / (c * mu)
            flag = ""
            if wait is None or (sharp and abs(wait - want) > 0.15 * want):
                flag += "  <-- wait off by more than 15%"
            if util is None or (sharp and abs(util - rho) > 0.02):
                flag += "  <-- utilisation off by more than 0.02"
            notes.append(f"  step_{i}: mean wait {fmt(wait, '.3f')} min (theory {want:.3f}), "
                         f"utilisation {fmt(util, '.3f')} (theory {rho:.3f}){flag}")
    if notes:
        print("\nSanity of blueprint's numbers against queueing theory"
              + ("" if sharp else " (too few customers to flag waits)"))
        print("\n".join(notes))


# --- --jobs scaling ----------------------------------------------------------------------


def bench_jobs(args: argparse.Namespace) -> None:
    scenario = SCENARIOS[0]
    reps = args.jobs_replications
    print(f"\nParallel replications: {scenario.name}, {args.jobs_customers:,} customers x {reps} "
          f"replications\n")
    bp = blueprint.loads(blueprint_yaml(scenario, args.jobs_customers), name="<jobs>")
    times: dict[int, float] = {}
    served: dict[int, float] = {}
    for jobs in (1, 2):
        try:
            start = time.perf_counter()
            result = simulate(bp, replications=reps, seed=1, jobs=jobs)
            times[jobs] = time.perf_counter() - start
            served[jobs] = result.to_dict()["system"]["served"]["mean"]
        except EngineUnavailable as exc:
            print(f"skipped: {exc}")
            return
        except Exception as exc:
            print(f"jobs={jobs}: ERROR {type(exc).__name__}: {exc}")
            return
    print(f"{'jobs':>4} {'seconds':>8} {'customers/s':>12} {'served/rep':>11}")
    for jobs, seconds in times.items():
        print(f"{jobs:>4} {seconds:>8.2f} {served[jobs] * reps / seconds:>12,.0f} {served[jobs]:>11,.1f}")
    speedup = times[1] / times[2]
    print(f"\ntarget jobs=2 / jobs=1 speed-up >= {JOBS_TARGET}x: {speedup:.2f}x "
          f"{verdict(speedup, JOBS_TARGET)}")
    if served[1] != served[2]:
        print(f"  note: served per replication differs between jobs=1 ({served[1]}) and jobs=2 "
              f"({served[2]}); docs/simulation.md promises the same seed gives the same numbers")


# --- --memory ----------------------------------------------------------------------------


def scaled_bank_yaml(customers: int, fixed_staff: bool) -> tuple[str, float]:
    """bank_branch.yaml with demand.scale set so one day brings `customers` arrivals.

    Staff is scaled by the same factor (unless `fixed_staff`), so the customers go
    through the steps as in the real branch instead of nearly all balking at the door.
    """
    base = blueprint.load(BANK_MODEL).info()["expected_arrivals"]
    factor = customers / base
    data = yaml.safe_load(BANK_MODEL.read_text(encoding="utf-8"))
    data["demand"]["scale"] = factor * data["demand"].get("scale", 1.0)
    if not fixed_staff:
        for resource in data["resources"].values():
            if "capacity" in resource:
                resource["capacity"] = max(1, round(resource["capacity"] * factor))
            for window in resource.get("schedule") or ():
                window["capacity"] = max(1, round(window["capacity"] * factor))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True), factor


def memory_child(customers: int, fixed_staff: bool) -> None:
    """Runs in a fresh interpreter: one replication, then prints peak RSS as JSON."""
    import resource

    def peak_kb() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss   # KiB on Linux

    out: dict[str, Any] = {"rss_start_kb": peak_kb()}
    text, factor = scaled_bank_yaml(customers, fixed_staff)
    bp = blueprint.loads(text, name="bank_branch.yaml (scaled)")
    out |= {"scale": factor, "rss_before_kb": peak_kb()}
    try:
        start = time.perf_counter()
        result = simulate(bp, replications=1, seed=1, jobs=1)
        out["seconds"] = time.perf_counter() - start
        system = result.to_dict()["system"]
        out |= {key: system[key]["mean"] for key in ("arrivals", "served", "balked", "reneged")}
    except EngineUnavailable as exc:
        out["skipped"] = str(exc)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        out["error"] = f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
    out["rss_peak_kb"] = peak_kb()
    print(json.dumps(out))


def bench_memory(args: argparse.Namespace) -> list[str]:
    """The --memory lines. Call it while this process is small: on Linux a child's
    ru_maxrss starts from the parent's RSS at fork time (it survives exec)."""
    staff = "as in the file" if args.memory_fixed_staff else "scaled by the same factor"
    lines = [f"\nPeak memory: {args.memory_customers:,} customers in one replication of "
             f"{BANK_MODEL.name} (demand.scale raised, staff {staff}; fresh subprocess)"]
    command = [sys.executable, __file__, "--memory-child", "--memory-customers",
               str(args.memory_customers)]
    if args.memory_fixed_staff:
        command.append("--memory-fixed-staff")
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return [*lines, f"memory run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}"]
    if "skipped" in out or "error" in out:
        return [*lines, f"  {out.get('skipped') or 'ERROR ' + out['error']}"]
    peak_mb = out["rss_peak_kb"] / 1024
    lines += [
        f"  scale {out['scale']:.1f}: arrivals {out['arrivals']:,.0f}, served {out['served']:,.0f}, "
        f"balked {out['balked']:,.0f}, reneged {out['reneged']:,.0f} in {out['seconds']:.1f} s",
        f"  peak RSS {peak_mb:,.0f} MB (interpreter start: {out['rss_start_kb'] / 1024:,.0f} MB; "
        f"model loaded, before simulate: {out['rss_before_kb'] / 1024:,.0f} MB)",
        f"target peak memory < {MEMORY_TARGET_MB:,.0f} MB for {MEMORY_CUSTOMERS:,} customers: "
        + (verdict(peak_mb, MEMORY_TARGET_MB, at_least=False)
           if args.memory_customers >= MEMORY_CUSTOMERS else "not measured (fewer customers)"),
    ]
    if abs(out["arrivals"] - args.memory_customers) > 5 * math.sqrt(args.memory_customers) + 100:
        lines.append("  note: arrivals far from the target; does the engine read demand.scale?")
    return lines


# --- --profile ---------------------------------------------------------------------------


def profile(args: argparse.Namespace) -> None:
    scenario = SCENARIOS[0]
    bp = blueprint.loads(blueprint_yaml(scenario, args.customers), name="<profile>")
    print(warm_up())
    print(f"\nProfile: blueprint {scenario.name}, {args.customers:,} customers, top 25 by tottime\n")
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        simulate(bp, replications=1, seed=1, jobs=1)
    except EngineUnavailable as exc:
        print(f"skipped: {exc}")
        return
    finally:
        profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(25)
    print(stream.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000,
                        help="expected arrivals per scenario (default 200000)")
    parser.add_argument("--repeats", type=int, default=1, help="best of N runs per peer")
    parser.add_argument("--skip-ciw", action="store_true", help="leave Ciw out (it is the slowest)")
    parser.add_argument("--skip-jobs", action="store_true", help="leave out the --jobs table")
    parser.add_argument("--jobs-customers", type=int, default=20_000)
    parser.add_argument("--jobs-replications", type=int, default=20)
    parser.add_argument("--memory", action="store_true",
                        help="peak memory for 1,000,000 customers through the bank model (slow)")
    parser.add_argument("--memory-customers", type=int, default=MEMORY_CUSTOMERS,
                        help=argparse.SUPPRESS)
    parser.add_argument("--memory-fixed-staff", action="store_true",
                        help="with --memory: keep the file's staff (nearly everyone balks)")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true",
                        help="profile blueprint's M/M/3 run instead of the benchmark")
    args = parser.parse_args()

    if args.memory_child:
        memory_child(args.memory_customers, args.memory_fixed_staff)
        return
    if args.profile:
        profile(args)
        return

    print(f"python {sys.version.split()[0]}, simpy {simpy.__version__}, ciw {ciw.__version__}, "
          f"blueprint {blueprint.__version__}")
    memory = bench_memory(args) if args.memory else []    # first, while this process is small
    print(warm_up())
    results = [(scenario, bench_scenario(scenario, args)) for scenario in SCENARIOS]
    print_speed_table(results, args.customers)
    sanity(results, args.customers)
    if not args.skip_jobs:
        bench_jobs(args)
    if memory:
        print("\n".join(memory))


if __name__ == "__main__":
    main()
