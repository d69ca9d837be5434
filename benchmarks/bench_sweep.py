"""How a sweep scales with workers: 100+ scenario x replication runs of the bank model.

Runs the same study (5 scenarios x 24 replications = 120 runs) on one process,
on two processes, and on a two-worker Dask LocalCluster, and prints the
times and the speed-up ratios. The results are byte-identical on all three.

    .venv/bin/python benchmarks/bench_sweep.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from blueprint.analysis.study import load_study, run_study

ROOT = Path(__file__).resolve().parent.parent
STUDY = f"""\
study: Sweep benchmark
model: {ROOT / "models" / "bank_branch.yaml"}
replications: 24
seed: 1
sweep:
  demand.scale: [0.8, 0.9, 1.1, 1.2]
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.yaml"
        path.write_text(STUDY)
        study = load_study(path)
        runs = len(study.scenarios) * study.spec.replications
        timings, outputs = {}, {}
        for label, options in (("1 process", {"jobs": 1}), ("2 processes", {"jobs": 2})):
            start = time.perf_counter()
            outputs[label] = json.dumps(run_study(study, **options).to_dict(), sort_keys=True)
            timings[label] = time.perf_counter() - start
        try:
            from blueprint.analysis.executors import dask_executor

            with dask_executor("local", workers=2) as executor:
                start = time.perf_counter()
                outputs["Dask LocalCluster, 2 workers"] = json.dumps(
                    run_study(study, executor=executor).to_dict(), sort_keys=True)
                timings["Dask LocalCluster, 2 workers"] = time.perf_counter() - start
        except ImportError as exc:
            print(f"(Dask skipped: {exc})")
    base = timings["1 process"]
    print(f"study: {len(study.scenarios)} scenarios x {study.spec.replications} replications = {runs} runs")
    print(f"{'executor':<32}{'seconds':>9}{'speed-up':>10}")
    for label, seconds in timings.items():
        print(f"{label:<32}{seconds:>9.2f}{base / seconds:>10.2f}")
    same = len(set(outputs.values())) == 1
    print(f"identical results on every executor: {same}")


if __name__ == "__main__":
    main()
