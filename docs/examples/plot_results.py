#!/usr/bin/env python3
"""Redraw migrasim's figures from its CSV outputs with pandas and matplotlib.

usage: python3 plot_results.py RUN_DIR COMPARE_DIR [OUT_DIR]

RUN_DIR is what `migrasim run` wrote (series.csv, summary.csv); COMPARE_DIR is
what `migrasim compare A B` wrote (comparison.csv, series_<scenario>.csv).
PNGs go to OUT_DIR (default: figures).
"""
import pathlib
import sys

import matplotlib
import matplotlib.dates

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

COUNTRIES = {"SV": "El Salvador", "HN": "Honduras", "GT": "Guatemala"}
OKABE_ITO = ["#0072B2", "#D55E00", "#56B4E9", "#009E73", "#000000", "#E69F00", "#CC79A7"]
# The compare measures: sums of metrics, as results.CompareMeasures defines them.
MEASURES = {
    "departures_total": (["departures_uac", "departures_family", "departures_adult"],
                         "Irregular departures", "persons per month"),
    "us_removals_total": (["us_removals_border", "us_removals_interior"],
                          "Removals from the U.S.", "persons per month"),
    "homicide_rate": (["homicide_rate"], "Homicide rate", "homicides per 100,000 a year"),
    "stock_us_undocumented": (["stock_us_undocumented"], "Undocumented population in the U.S.",
                              "persons (at month end)"),
}
# Two-sided 95% Student-t quantiles by degrees of freedom, as the Go code uses.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042}


def t975(df):
    try:
        from scipy.stats import t
        return t.ppf(0.975, df)
    except ImportError:
        return T975.get(df, T975[max(k for k in T975 if k <= df)] if df < 30 else 1.96)


def measure(series, name):
    """One row per replicate, month and country: the measure's monthly value."""
    metrics = MEASURES[name][0]
    s = series[series.metric.isin(metrics)]
    return s.groupby(["replicate", "month", "country"], as_index=False)["value"].sum()


def band(df):
    """Mean over replicates and its 95% interval, per month and country."""
    g = df.groupby(["month", "country"])["value"]
    out = g.agg(["mean", "std", "count"]).reset_index()
    t = {n: t975(n - 1) if n > 1 else 0.0 for n in out["count"].unique()}
    half = (out["count"].map(t) * out["std"].fillna(0) / np.sqrt(out["count"])).fillna(0)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    out["date"] = pd.to_datetime(out["month"])
    return out


def draw(ax, b, colour, label, dashes=""):
    ax.fill_between(b["date"], b["low"], b["high"], color=colour, alpha=0.25, linewidth=0)
    ax.plot(b["date"], b["mean"], color=colour, linestyle=dashes or "-", label=label)
    ax.xaxis.set_major_locator(matplotlib.dates.YearLocator(2))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%Y"))


def save(fig, out, name):
    fig.savefig(out / name, dpi=150, bbox_inches="tight")
    plt.close(fig)
    print(out / name)


def replicates(series):
    return series["replicate"].nunique()


def run_figures(run_dir, out):
    series = pd.read_csv(run_dir / "series.csv")
    scenario = series["scenario"].iloc[0]
    for name, (_, title, unit) in MEASURES.items():
        fig, ax = plt.subplots(figsize=(12.8, 5.5))
        b = band(measure(series, name))
        for i, (code, country) in enumerate(COUNTRIES.items()):
            draw(ax, b[b.country == code], OKABE_ITO[i], country, ["-", "--", ":"][i])
        ax.set_ylabel(unit)
        ax.set_title(f"{title}: {scenario}\nshaded band: 95% CI of the mean over "
                     f"{replicates(series)} replicates (Monte Carlo noise only)", loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
        save(fig, out, f"run_{name}.png")
    # summary.csv: yearly totals with their intervals, as the run's table prints them.
    summary = pd.read_csv(run_dir / "summary.csv", na_values="NA")
    s = summary[(summary.metric == "departures_adult") & (summary.period != "all")]
    fig, ax = plt.subplots(figsize=(12.8, 5))
    for i, (code, country) in enumerate(COUNTRIES.items()):
        c = s[s.country == code]
        ax.errorbar(c["period"].astype(int) + (i - 1) * 0.1, c["mean"],
                    yerr=[c["mean"] - c["ci_low"], c["ci_high"] - c["mean"]],
                    fmt="o-", color=OKABE_ITO[i], label=country, capsize=3)
    ax.set_ylabel("persons per year")
    ax.set_title(f"Departures of single adults per year: {scenario} (95% CI over replicates)", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    save(fig, out, "run_summary_departures_adult.png")


def compare_figures(cmp_dir, out):
    comparison = pd.read_csv(cmp_dir / "comparison.csv", na_values="NA", keep_default_na=False)
    ref = comparison["reference"].iloc[0]
    names = [ref] + list(dict.fromkeys(comparison["scenario"]))
    series = {n: pd.read_csv(cmp_dir / f"series_{n}.csv") for n in names}
    for name, (_, title, unit) in MEASURES.items():
        fig, axes = plt.subplots(2, 3, figsize=(12.8, 7.5), sharex=True)
        values = {n: measure(s, name) for n, s in series.items()}
        for j, (code, country) in enumerate(COUNTRIES.items()):
            axes[0, j].set_title(country)
            for i, n in enumerate(names):
                b = band(values[n])
                draw(axes[0, j], b[b.country == code], OKABE_ITO[i], n, ["-", "--"][i % 2])
            for i, n in enumerate(names[1:], start=1):
                # Paired differences: replicate r of each scenario shares its random numbers.
                d = values[n].merge(values[ref], on=["replicate", "month", "country"])
                d["value"] = d["value_x"] - d["value_y"]
                b = band(d)
                draw(axes[1, j], b[b.country == code], OKABE_ITO[i], f"{n} − {ref}", "--")
            axes[1, j].axhline(0, color="grey", linewidth=0.8)
        axes[0, 0].set_ylabel(unit)
        axes[1, 0].set_ylabel("difference, " + unit)
        fig.suptitle(f"{title}: {' and '.join(names)}; bottom: paired difference to {ref}\n"
                     f"shaded band: 95% CI of the mean over {replicates(series[ref])} replicates "
                     "(Monte Carlo noise only, at fixed parameters)", x=0.01, ha="left")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(names))
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        save(fig, out, f"compare_{name}.png")
    # comparison.csv: the whole run's difference with its interval, per country.
    c = comparison[(comparison.period == "all") & comparison.metric.isin(MEASURES)]
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(12.8, 3.5))
    for ax, (name, (_, title, _)) in zip(axes, MEASURES.items()):
        m = c[c.metric == name].set_index("country").loc[list(COUNTRIES)]
        y = np.arange(len(m))
        ax.errorbar(m["diff_mean"], y, xerr=[m["diff_mean"] - m["diff_ci_low"], m["diff_ci_high"] - m["diff_mean"]],
                    fmt="o", color=OKABE_ITO[1], capsize=3)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_yticks(y, [COUNTRIES[k] for k in m.index])
        ax.set_title(f"{title}\n({m['aggregate'].iloc[0]} over the run)", fontsize=9)
    fig.suptitle(f"{names[1]} − {ref}: paired difference, 95% CI (Monte Carlo noise only)", x=0.01, ha="left")
    fig.tight_layout()
    save(fig, out, "compare_differences_all.png")


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    out = pathlib.Path(argv[3] if len(argv) == 4 else "figures")
    out.mkdir(parents=True, exist_ok=True)
    run_figures(pathlib.Path(argv[1]), out)
    compare_figures(pathlib.Path(argv[2]), out)


if __name__ == "__main__":
    main(sys.argv)
