"""M/M/3 as a competent SimPy user writes it: a process per customer, a Resource, expovariate.

lambda = 2.7/min, mu = 1/min, 3 servers, run for N / lambda minutes (about N customers).
Prints the customers served. Used by bench_commands.py as a whole process.

    python benchmarks/peers/simpy_mm3.py 400000
"""

import random
import sys

import simpy

RATE, MU, SERVERS = 2.7, 1.0, 3


def main(customers: int) -> None:
    rng = random.Random(1)
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=SERVERS)
    served = 0

    def customer():
        nonlocal served
        with counter.request() as request:
            yield request
            yield env.timeout(rng.expovariate(MU))
        served += 1

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(RATE))
            env.process(customer())

    env.process(arrivals())
    env.run(until=customers / RATE)
    print(served)


if __name__ == "__main__":
    main(int(sys.argv[1]))
