package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"migrasim/sweep"
)

func init() {
	registerSweep(command{name: "sweep status", usage: "DIR [--tasks N]",
		summary: "show which runs of a sweep are done, failed or not yet run, and which tasks to rerun",
		run:     runSweepStatus})
}

func runSweepStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("status"), e, details("sweep-status"))
	tasks := fs.Int("tasks", 0, "number of tasks the sweep is split into (default: as in the task files)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep status: want the plan's folder, got %d arguments", len(pos))
	}
	pr, err := sweep.ReadProgress(pos[0], *tasks)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "task file\tsucceeded\tfailed\n")
	for _, f := range pr.Files {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", f.Name, f.Succeeded, f.Failed)
	}
	tw.Flush()
	h := &pr.Plan.Header
	fmt.Fprintf(e.stdout, "\n%s: %d runs, %d succeeded, %d failed, %d not run", h.Sweep, h.Runs, len(pr.Done), len(pr.Failed), len(pr.Left)-len(pr.Failed)-len(pr.Damaged))
	if len(pr.Damaged) > 0 {
		fmt.Fprintf(e.stdout, ", %d with a damaged record", len(pr.Damaged))
	}
	fmt.Fprintln(e.stdout)
	if pr.Complete() {
		fmt.Fprintf(e.stdout, "complete, every record checked: 'migrasim sweep merge %s'\n", pos[0])
		return nil
	}
	if err := pr.Err(); err != nil && (len(pr.Unused) > 0 || len(pr.Damaged) > 0) {
		fmt.Fprintf(e.stdout, "merge would refuse:\n%v\n", err)
	}
	if len(pr.Left) == 0 {
		return nil
	}
	if pr.Tasks == 0 {
		fmt.Fprintf(e.stdout, "runs without a result: %v (pass --tasks N to see which tasks own them)\n", pr.Left)
		return nil
	}
	ids := make([]string, len(pr.Owners))
	for i, o := range pr.Owners {
		ids[i] = fmt.Sprint(o)
	}
	fmt.Fprintf(e.stdout, "to finish, rerun tasks %s of %d: 'sbatch --array=%s %s/slurm/sweep.sbatch', or 'migrasim sweep run %s --task I --tasks %d' for each\n",
		strings.Join(ids, ", "), pr.Tasks, strings.Join(ids, ","), pos[0], pos[0], pr.Tasks)
	return nil
}
