package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sweep"
)

// SweepPlanRequest is what 'migrasim sweep plan' was asked: the sweep,
// loaded from Source with the settings of the command line applied.
type SweepPlanRequest struct {
	Spec    *sweep.Spec
	Source  string // the spec's name or file, as given
	Dir     string // folder for the plan; "" for out/<sweep>
	MaxRuns int    // refuse a sweep of more runs (--max-runs)
}

// SweepPlan checks the sweep, expands it into a plan and writes it (unless
// Dir already holds the same plan), then says what it holds and what to do
// next.
func SweepPlan(ctx context.Context, c *Console, req SweepPlanRequest) error {
	s := req.Spec
	n := s.Runs()
	if n > req.MaxRuns {
		return fmt.Errorf("sweep %s has %d runs (%d design points x %d replicates), more than --max-runs %d; pass --max-runs %d to plan it anyway",
			s.Name, n, s.Points(), s.Replicates, req.MaxRuns, n)
	}
	dir := req.Dir
	if dir == "" {
		dir = filepath.Join("out", s.Name)
	}
	if err := results.CheckDir(dir, true); err != nil {
		return err
	}
	if err := s.Check(ctx); err != nil {
		return planError(ctx, err)
	}
	h, runs, err := s.Plan(ctx, req.Source, c.Command)
	if err != nil {
		return planError(ctx, err)
	}
	if ctx.Err() != nil {
		return Stopped()
	}
	b, err := s.BText()
	if err != nil {
		return err
	}
	var extra [][]byte
	files := []string{sweep.PlanHeaderFile, sweep.PlanBaseFile, sweep.PlanRunsFile}
	if b != nil {
		extra = append(extra, b)
		files = append(files, sweep.PlanBFile)
	}
	w := c.Stdout
	err = sweep.WritePlan(dir, h, []byte(scenarios.Format(s.Base)), runs, extra...)
	switch {
	case errors.Is(err, sweep.ErrSamePlan):
		fmt.Fprintf(w, "%s: %s already holds this plan; nothing changed\n", s.Name, dir)
	case err != nil:
		return err
	case s.Kind == sweep.KindCompare:
		fmt.Fprintf(w, "%s: %d design points, each a paired run of %s and %s over %d replicates: %d runs; B - A over %s to %s\n",
			s.Name, s.Points(), h.Compare[0], h.Compare[1], s.Replicates, n, h.From, h.To)
	case s.Kind == sweep.KindPosterior:
		fmt.Fprintf(w, "%s: %d posterior draws of %s (sha256 %.12s...), each a paired run of %s and %s over %d replicates: %d runs; policy window %s to %s\n",
			s.Name, s.Draws, h.Posterior, h.PosteriorHash, h.Compare[0], h.Compare[1], s.Replicates, n, h.From, h.To)
	default:
		fmt.Fprintf(w, "%s: %d design points x %d replicates = %d runs\n", s.Name, s.Points(), s.Replicates, n)
	}
	if err == nil {
		fmt.Fprintf(w, "wrote %s (%s)\n", dir, strings.Join(files, ", "))
	}
	fmt.Fprintf(w, "next: 'migrasim sweep run %s' here, or 'migrasim sweep slurm %s' for a Slurm job array\n", dir, dir)
	return nil
}

// planError says plainly that planning was interrupted.
func planError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return Stopped()
	}
	return err
}

// SweepMerge combines the results of the tasks of the sweep planned in
// dir into out ("" for dir/merged), then says what it merged.
func SweepMerge(ctx context.Context, c *Console, dir, out string, force bool) error {
	if out == "" {
		out = filepath.Join(dir, "merged")
	}
	if err := results.CheckDir(out, force); err != nil {
		return err
	}
	pl, rep, err := sweep.Merge(ctx, dir, out, c.Command)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: nothing new was written (a complete merge already in %s is kept)", ErrInterrupted, out)
	}
	if err != nil && rep != nil && rep.Complete() {
		return fmt.Errorf("%w; nothing new was written (a complete merge already in %s is kept)", err, out)
	}
	if err != nil {
		return err
	}
	h := &pl.Header
	switch h.Kind {
	case sweep.KindCompare:
		fmt.Fprintf(c.Stdout, "%s: merged %d paired runs of %s and %s (%d design points x %d replicates, B - A over %s to %s) into %s (%s, manifest.json)\n",
			h.Sweep, rep.Succeeded, h.Compare[0], h.Compare[1], h.Points, h.Replicates, h.From, h.To, out, sweep.MergedRuns)
	case sweep.KindPosterior:
		fmt.Fprintf(c.Stdout, "%s: merged %d posterior draws of %s and %s (%d replicates each) into %s (%s, plots, manifest.json)\n",
			h.Sweep, rep.Succeeded, h.Compare[0], h.Compare[1], h.Replicates, out, sweep.MergedAnswer)
	default:
		fmt.Fprintf(c.Stdout, "%s: merged %d runs (%d design points x %d replicates) into %s (%s, %s, %s, manifest.json)\n",
			h.Sweep, rep.Succeeded, h.Points, h.Replicates, out, sweep.MergedSeries, sweep.MergedSummary, sweep.MergedRuns)
	}
	return nil
}

// SweepStatus writes to w which runs of the sweep planned in dir are done,
// failed or not yet run, and which of tasks (0: as in the task files) to
// run again.
func SweepStatus(w io.Writer, dir string, tasks int) error {
	pr, err := sweep.ReadProgress(dir, tasks)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "task file\tsucceeded\tfailed\n")
	for _, f := range pr.Files {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", f.Name, f.Succeeded, f.Failed)
	}
	tw.Flush()
	h := &pr.Plan.Header
	fmt.Fprintf(w, "\n%s: %d runs, %d succeeded, %d failed, %d not run", h.Sweep, h.Runs, len(pr.Done), len(pr.Failed), len(pr.Left)-len(pr.Failed)-len(pr.Damaged))
	if len(pr.Damaged) > 0 {
		fmt.Fprintf(w, ", %d with a damaged record", len(pr.Damaged))
	}
	fmt.Fprintln(w)
	if pr.Complete() {
		fmt.Fprintf(w, "complete, every record checked: 'migrasim sweep merge %s'\n", dir)
		return nil
	}
	if err := pr.Err(); err != nil && (len(pr.Unused) > 0 || len(pr.Damaged) > 0) {
		fmt.Fprintf(w, "merge would refuse:\n%v\n", err)
	}
	if len(pr.Left) == 0 {
		return nil
	}
	if pr.Tasks == 0 {
		fmt.Fprintf(w, "runs without a result: %v (pass --tasks N to see which tasks own them)\n", pr.Left)
		return nil
	}
	ids := make([]string, len(pr.Owners))
	for i, o := range pr.Owners {
		ids[i] = fmt.Sprint(o)
	}
	fmt.Fprintf(w, "to finish, rerun tasks %s of %d: 'sbatch --array=%s %s/slurm/sweep.sbatch', or 'migrasim sweep run %s --task I --tasks %d' for each\n",
		strings.Join(ids, ", "), pr.Tasks, strings.Join(ids, ","), dir, dir, pr.Tasks)
	return nil
}

// SweepSlurm writes the sbatch scripts of the sweep planned in dir with
// the settings of o (its Binary "" for this program), then how to submit
// them.
func SweepSlurm(w io.Writer, dir string, o sweep.Slurm) error {
	pl, err := sweep.ReadPlan(dir)
	if err != nil {
		return err
	}
	if o.Binary == "" {
		if o.Binary, err = os.Executable(); err != nil {
			return fmt.Errorf("sweep slurm: cannot tell this binary's path (%v): pass --binary", err)
		}
	}
	def, err := sweep.NewSlurm(pl, o.Binary)
	if err != nil {
		return err
	}
	o.Sweep, o.Dir, o.Runs = def.Sweep, def.Dir, def.Runs
	sdir, err := o.Write()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d runs in %d array tasks (%d runs each at most", o.Sweep, o.Runs, o.Tasks, o.PerTask)
	if o.Concurrent > 0 {
		fmt.Fprintf(w, ", %d tasks at once", o.Concurrent)
	}
	fmt.Fprintf(w, ")\nwrote %s (sweep.sbatch, merge.sbatch, submit.sh, logs/)\n\nsubmit with:\n  sh %s\nwhich runs:\n%s",
		sdir, sweep.ShellQuote(filepath.Join(sdir, "submit.sh")), indent(o.SbatchCommands(), "  "))
	return nil
}

// indent puts prefix before each line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, prefix) + "\n"
}
