"""M/M/3 in Ciw: the same queue as simpy_mm3.py, as Ciw's documentation writes it.

    python benchmarks/peers/ciw_mm3.py 400000
"""

import sys

import ciw

RATE, MU, SERVERS = 2.7, 1.0, 3


def main(customers: int) -> None:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(RATE)],
        service_distributions=[ciw.dists.Exponential(MU)],
        number_of_servers=[SERVERS],
    )
    ciw.seed(1)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(customers / RATE)
    print(len(simulation.nodes[-1].all_individuals))


if __name__ == "__main__":
    main(int(sys.argv[1]))
