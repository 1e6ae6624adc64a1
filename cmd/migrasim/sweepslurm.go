package main

import (
	"context"
	"fmt"

	"migrasim/report"

	"migrasim/sweep"
)

func init() {
	registerSweep(command{name: "sweep slurm",
		usage:   "DIR [--tasks N] [--concurrent K] [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--account A] [--binary PATH]",
		summary: "write sbatch scripts: a job array that runs a planned sweep and a merge job that waits for it",
		run:     runSweepSlurm})
}

func runSweepSlurm(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("slurm"), e, details("sweep-slurm"))
	var o sweep.Slurm
	fs.IntVar(&o.Tasks, "tasks", 0, "array tasks to split the runs into (default: one per run, at most 100)")
	fs.IntVar(&o.Concurrent, "concurrent", 0, "array tasks running at once, the %K of --array (default: as many as Slurm allows)")
	fs.StringVar(&o.Partition, "partition", "", "Slurm partition (default: the cluster's default)")
	fs.StringVar(&o.Time, "time", "", "time limit of each task and of the merge, e.g. 01:00:00 (default: the partition's)")
	fs.IntVar(&o.CPUs, "cpus-per-task", 1, "CPUs of each task; its runs use that many workers")
	fs.StringVar(&o.Mem, "mem", "", "memory of each task, e.g. 2G (default: the partition's)")
	fs.StringVar(&o.Account, "account", "", "account to charge (default: yours)")
	fs.StringVar(&o.Binary, "binary", "", "path of migrasim on the compute nodes (default: this binary)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep slurm: want the plan's folder, got %d arguments", len(pos))
	}
	return report.SweepSlurm(e.stdout, pos[0], o)
}
