"""Five stations in series with a fail point and two classes, as a competent SimPy user writes it.

lambda = 0.8/min; each station one server, exponential service of mean 1 min;
30% of customers are express (served first at every station: a
PriorityResource), 70% standard; at the third station 10% of services go
wrong and are done again (the customer queues again). Run for N / lambda
minutes (about N customers); prints the customers served. bench_commands.py
runs it beside blueprint's model of the same service, as whole processes.

    python benchmarks/peers/simpy_tandem.py 200000
"""

import random
import sys

import simpy

RATE, MU, STATIONS, EXPRESS, REDO_AT, REDO_P = 0.8, 1.0, 5, 0.3, 2, 0.1


def main(customers: int) -> None:
    rng = random.Random(1)
    env = simpy.Environment()
    stations = [simpy.PriorityResource(env, capacity=1) for _ in range(STATIONS)]
    served = 0

    def customer(priority: int):
        nonlocal served
        for number, station in enumerate(stations):
            while True:
                with station.request(priority=priority) as request:
                    yield request
                    yield env.timeout(rng.expovariate(MU))
                if number != REDO_AT or rng.random() >= REDO_P:
                    break
        served += 1

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(RATE))
            env.process(customer(0 if rng.random() < EXPRESS else 1))

    env.process(arrivals())
    env.run(until=customers / RATE)
    print(served)


if __name__ == "__main__":
    main(int(sys.argv[1]))
