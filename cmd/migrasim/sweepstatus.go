package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"migrasim/results"
)

func init() {
	registerSweep(command{name: "sweep status", usage: "DIR [--tasks N]",
		summary: "show which runs of a sweep are done, failed or not yet run, and which tasks to rerun",
		run:     runSweepStatus})
}

const sweepStatusDetails = `
Reads the status logs in DIR/tasks/ (safe while tasks run) and prints, per
task file, its succeeded and failed runs, then the runs without a result and
the tasks of N that own them: rerun those tasks ('migrasim sweep run DIR
--task I --tasks N', or 'sbatch --array=I,J DIR/slurm/sweep.sbatch') and they
do only what is left. N defaults to the number of tasks the files were
written with.`

func runSweepStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("status"), e, sweepStatusDetails)
	tasks := fs.Int("tasks", 0, "number of tasks the sweep is split into (default: as in the task files)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep status: want the plan's folder, got %d arguments", len(pos))
	}
	pl, err := results.ReadPlan(pos[0])
	if err != nil {
		return err
	}
	statuses, err := results.ReadStatuses(pos[0])
	if err != nil {
		return err
	}
	done := map[int]bool{}
	failed := map[int]string{}
	n := *tasks
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "task file\tsucceeded\tfailed\n")
	for _, ts := range statuses {
		var ok, bad int
		for _, st := range ts.Runs {
			if st.Status == results.Succeeded {
				ok++
				done[st.Run] = true
			} else {
				bad++
				failed[st.Run] = st.Error
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\n", ts.Name, ok, bad)
		var i, of int
		if _, err := fmt.Sscanf(ts.Name, "task-%d-of-%d", &i, &of); err == nil && *tasks == 0 {
			if n == 0 || n == of {
				n = of
			} else {
				n = -1 // files of several splits: ask for --tasks
			}
		}
	}
	tw.Flush()
	var left []int
	owners := map[int]bool{}
	for r := range pl.Runs {
		if !done[r] {
			left = append(left, r)
			if n > 0 {
				owners[r%n] = true
			}
		}
	}
	h := &pl.Header
	fmt.Fprintf(e.stdout, "\n%s: %d runs, %d succeeded, %d failed, %d not run\n", h.Sweep, h.Runs, len(done), countFailed(failed, done), len(left)-countFailed(failed, done))
	if len(left) == 0 {
		fmt.Fprintf(e.stdout, "complete: 'migrasim sweep merge %s'\n", pos[0])
		return nil
	}
	if n <= 0 {
		fmt.Fprintf(e.stdout, "runs without a result: %v (pass --tasks N to see which tasks own them)\n", left)
		return nil
	}
	var ids []string
	for i := range n {
		if owners[i] {
			ids = append(ids, fmt.Sprint(i))
		}
	}
	fmt.Fprintf(e.stdout, "to finish, rerun tasks %s of %d: 'sbatch --array=%s %s/slurm/sweep.sbatch', or 'migrasim sweep run %s --task I --tasks %d' for each\n",
		strings.Join(ids, ", "), n, strings.Join(ids, ","), pos[0], pos[0], n)
	return nil
}

func countFailed(failed map[int]string, done map[int]bool) int {
	n := 0
	for r := range failed {
		if !done[r] {
			n++
		}
	}
	return n
}
