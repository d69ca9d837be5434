"""At one instant, things happen in the order a process-per-customer SimPy model gives them.

The engine resumes customers from event callbacks instead of running a SimPy
process each; these cases pin the order where several things happen at the
same time (customers arriving together, a server freed and taken at once, a
fork's branches asking for one server), with waits worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import blueprint

TOGETHER = """\
blueprint: 1
name: Three at the door
horizon: {open: "09:00", close: "10:00"}
resources: {clerk: {capacity: 1}}
demand:
  trace: arrivals.csv
  classes:
    first: {share: 0.34}
    second: {share: 0.33}
    third: {share: 0.33%s}
steps:
  - {id: counter, zone: frontstage, resource: clerk, duration: 2}
"""


def _waits(tmp_path: Path, rows: str, third: str = "") -> dict[str, float]:
    (tmp_path / "arrivals.csv").write_text("time,class\n" + rows)
    model = tmp_path / "model.yaml"
    model.write_text(TOGETHER % third)
    results = blueprint.load(model).simulate(replications=1)
    return {name: results.mean("steps", "counter", "classes", name, "wait", "mean")
            for name in ("first", "second", "third")}


def test_customers_arriving_together_are_served_in_the_traces_order(tmp_path):
    # one clerk, 2 minutes each: the first starts at once, the second waits 2, the third 4
    waits = _waits(tmp_path, "09:00,first\n09:00,second\n09:00,third\n")
    assert waits == {"first": 0.0, "second": 2.0, "third": 4.0}


def test_a_queue_formed_at_one_instant_is_served_by_priority(tmp_path):
    # the first takes the free clerk (nobody is sent off a server); of the two who queue, the
    # third has priority 0 and goes before the second
    waits = _waits(tmp_path, "09:00,first\n09:00,second\n09:00,third\n", third=", priority: 0")
    assert waits == {"first": 0.0, "second": 4.0, "third": 2.0}


def test_a_server_freed_at_an_instant_goes_to_the_one_waiting_not_to_a_newcomer(tmp_path):
    # the second arrives at 09:01 and waits for 09:02; the third arrives at 09:02, the instant the
    # first leaves: the clerk goes to the second, who was waiting, and the third waits 2
    waits = _waits(tmp_path, "09:00,first\n09:01,second\n09:02,third\n")
    assert waits == {"first": 0.0, "second": 1.0, "third": 2.0}


def test_a_forks_branches_start_in_the_order_written(tmp_path):
    # both branches need the only cook at the instant the order forks: the first written (stock,
    # 3 min) gets the cook, the second (sauce, 2 min) waits 3; they meet at 5, and serving takes 1
    (tmp_path / "orders.csv").write_text("time\n12:00\n")
    model = tmp_path / "kitchen.yaml"
    model.write_text("""\
blueprint: 1
name: Kitchen
horizon: {open: "12:00", close: "12:30"}
resources: {cook: {capacity: 1}}
demand: {trace: orders.csv}
steps:
  - {id: order, zone: customer, evidence: [Ticket], duration: 0, next: {all: [stock, sauce]}}
  - {id: stock, zone: backstage, resource: cook, duration: 3, next: serve}
  - {id: sauce, zone: backstage, resource: cook, duration: 2, next: serve}
  - {id: serve, zone: frontstage, join: all, duration: 1, next: end}
""")
    results = blueprint.load(model).simulate(replications=1)
    assert results.mean("steps", "stock", "wait", "mean") == 0.0
    assert results.mean("steps", "sauce", "wait", "mean") == 3.0
    assert results.mean("system", "time_in_system", "mean") == 3 + 2 + 1


def test_each_step_counts_the_customers_it_lost_by_balking_and_by_reneging(tmp_path):
    # one clerk, 10 minutes each. At the desk nobody queues (balk_at 0): of three arriving a minute
    # apart, the first is served and two balk. At the window customers wait a minute at most: of
    # two arriving a minute apart, the second reneges at 09:02.
    (tmp_path / "arrivals.csv").write_text("time,class\n09:00,desk\n09:00,window\n09:01,desk\n"
                                           "09:01,window\n09:02,desk\n")
    model = tmp_path / "model.yaml"
    model.write_text("""\
blueprint: 1
name: Two counters
currency: EUR
horizon: {open: "09:00", close: "10:00"}
resources: {clerk: {capacity: 1}, cashier: {capacity: 1}}
demand:
  trace: arrivals.csv
  classes: {desk: {share: 0.5}, window: {share: 0.5}}
steps:
  - id: door
    zone: customer
    evidence: [Sign]
    duration: 0
    next:
      - {to: desk, p: {desk: 1, window: 0}}
      - {to: window}
  - {id: desk, zone: frontstage, resource: clerk, duration: 10, balk_at: 0, next: end}
  - {id: window, zone: frontstage, resource: cashier, duration: 10, patience: 1, next: end}
""")
    results = blueprint.load(model).simulate(replications=1)
    assert results.mean("steps", "desk", "balked") == 2 and results.mean("steps", "desk", "reneged") == 0
    assert results.mean("steps", "window", "reneged") == 1 and results.mean("steps", "window", "balked") == 0
    assert (results.mean("system", "balked"), results.mean("system", "reneged")) == (2, 1)
    assert results.currency == "EUR"
