#!/usr/bin/python3
"""Optuna's own TPE on the lookup table `sparksweep simulate --export-table` writes, for a side-by-side comparison.

Each trial suggests every swept parameter as a categorical over its recorded values (the way an Optuna user
searches a recorded grid) and scores the recorded metric after the last epoch. Runs TPESampler(multivariate=True)
with Optuna's defaults, and RandomSampler for reference, once per seed, and prints the mean and standard error over
seeds of the best value found after each checkpoint's number of trials, in the format of `sparksweep simulate`.

    /usr/bin/python3 jobs/benchmark/optuna_tpe.py table.csv --trials 80 --repeats 20 --at 10,20,40,80

Needs Debian's python3-optuna (3.1): /usr/bin/python3, not a virtualenv's python.
"""
import argparse
import csv
import math
import statistics
import warnings

import optuna


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = list(rows[0].keys())
    params, metric = columns[:-3], columns[-2]
    last = max(int(r["epoch"]) for r in rows)
    table, choices = {}, {p: [] for p in params}
    for r in rows:
        for p in params:
            if r[p] not in choices[p]:
                choices[p].append(r[p])
        if int(r["epoch"]) == last:
            table[tuple(r[p] for p in params)] = float(r[metric])
    return params, metric, choices, table


def run(sampler, params, choices, table, trials, maximize):
    def objective(trial):
        key = tuple(trial.suggest_categorical(p, choices[p]) for p in params)
        return table.get(key, float("nan"))

    study = optuna.create_study(direction="maximize" if maximize else "minimize", sampler=sampler)
    study.optimize(objective, n_trials=trials)
    best, out = None, []
    for t in study.trials:
        if t.value is not None and not math.isnan(t.value):
            if best is None or (t.value > best if maximize else t.value < best):
                best = t.value
        out.append(best)
    return out


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{mean:.4f} ± {se:.4f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table")
    parser.add_argument("--trials", type=int, default=80)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--at", default="10,20,40,80")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    params, metric, choices, table = load(args.table)
    maximize = not metric.endswith("loss")
    at = [n for n in (int(x) for x in args.at.split(",")) if n <= args.trials]
    print(f"optuna {optuna.__version__}: {len(table)} configurations of {' x '.join(params)}; "
          f"{args.repeats} repeats, {args.trials} trials each; mean ± standard error of the best {metric}")
    print(f"{'method':<18}" + "".join(f"{'after ' + str(n) + ' trials':<20}" for n in at))
    samplers = {
        "optuna random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
        "optuna tpe": lambda seed: optuna.samplers.TPESampler(multivariate=True, seed=seed),
    }
    for name, make in samplers.items():
        curves = [run(make(seed), params, choices, table, args.trials, maximize) for seed in range(args.repeats)]
        print(f"{name:<18}" + "".join(f"{summary([c[n - 1] for c in curves]):<20}" for n in at))


if __name__ == "__main__":
    main()
