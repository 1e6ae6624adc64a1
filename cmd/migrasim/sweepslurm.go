package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"migrasim/results"
)

func init() {
	registerSweep(command{name: "sweep slurm",
		usage:   "DIR [--tasks N] [--concurrent K] [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--account A] [--binary PATH]",
		summary: "write sbatch scripts: a job array that runs a planned sweep and a merge job that waits for it",
		run:     runSweepSlurm})
}

const sweepSlurmDetails = `
Writes into DIR/slurm/:

  sweep.sbatch  a job array (--array=0-(N-1)%K); array task I runs
                'migrasim sweep run DIR --tasks N' with SLURM_ARRAY_TASK_ID = I
  merge.sbatch  'migrasim sweep merge DIR'
  submit.sh     submits both, the merge with --dependency=afterok on the array
  logs/         where the jobs' output goes (one JSON line per finished run)

and prints the sbatch commands. The scripts name DIR and the migrasim binary
by absolute path, so they must be visible at the same paths on the compute
nodes (a shared file system); --binary names another binary path. A task
that hits its time limit or loses its node is resubmitted alone
('sbatch --array=I DIR/slurm/sweep.sbatch') and skips the runs it finished;
'migrasim sweep status DIR' says which tasks to resubmit.`

// slurmOptions are the sbatch settings of the scripts.
type slurmOptions struct {
	sweep, dir, binary            string
	runs, tasks, concurrent, cpus int
	partition, time, mem, account string
	perTask                       int
}

func runSweepSlurm(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("slurm"), e, sweepSlurmDetails)
	var o slurmOptions
	fs.IntVar(&o.tasks, "tasks", 0, "array tasks to split the runs into (default: one per run, at most 100)")
	fs.IntVar(&o.concurrent, "concurrent", 0, "array tasks running at once, the %K of --array (default: as many as Slurm allows)")
	fs.StringVar(&o.partition, "partition", "", "Slurm partition (default: the cluster's default)")
	fs.StringVar(&o.time, "time", "", "time limit of each task and of the merge, e.g. 01:00:00 (default: the partition's)")
	fs.IntVar(&o.cpus, "cpus-per-task", 1, "CPUs of each task; its runs use that many workers")
	fs.StringVar(&o.mem, "mem", "", "memory of each task, e.g. 2G (default: the partition's)")
	fs.StringVar(&o.account, "account", "", "account to charge (default: yours)")
	fs.StringVar(&o.binary, "binary", "", "path of migrasim on the compute nodes (default: this binary)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep slurm: want the plan's folder, got %d arguments", len(pos))
	}
	pl, err := results.ReadPlan(pos[0])
	if err != nil {
		return err
	}
	o.sweep, o.runs = pl.Header.Sweep, len(pl.Runs)
	if o.dir, err = filepath.Abs(pos[0]); err != nil {
		return err
	}
	if o.binary == "" {
		if o.binary, err = os.Executable(); err != nil {
			return fmt.Errorf("sweep slurm: cannot tell this binary's path (%v): pass --binary", err)
		}
	}
	if err := o.check(); err != nil {
		return err
	}
	sdir := filepath.Join(o.dir, "slurm")
	if err := os.MkdirAll(filepath.Join(sdir, "logs"), 0o755); err != nil {
		return fmt.Errorf("sweep slurm: %w", err)
	}
	for name, text := range map[string]string{"sweep.sbatch": o.arrayScript(), "merge.sbatch": o.mergeScript(), "submit.sh": o.submitScript()} {
		if _, err := results.WriteAtomic(filepath.Join(sdir, name), func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
			return err
		}
		if err := os.Chmod(filepath.Join(sdir, name), 0o755); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d runs in %d array tasks (%d runs each at most", o.sweep, o.runs, o.tasks, o.perTask)
	if o.concurrent > 0 {
		fmt.Fprintf(e.stdout, ", %d tasks at once", o.concurrent)
	}
	fmt.Fprintf(e.stdout, ")\nwrote %s (sweep.sbatch, merge.sbatch, submit.sh, logs/)\n\nsubmit with:\n  sh %s\nwhich runs:\n%s",
		sdir, shellQuote(filepath.Join(sdir, "submit.sh")), indent(o.sbatchCommands(), "  "))
	return nil
}

// slurmTime matches sbatch's time formats: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
var slurmTime = regexp.MustCompile(`^(\d+-)?\d+(:\d+){0,2}$|^UNLIMITED$|^INFINITE$`)

func (o *slurmOptions) check() error {
	if o.tasks == 0 {
		o.tasks = min(o.runs, 100)
	}
	if o.tasks < 1 {
		return fmt.Errorf("sweep slurm: --tasks %d: want 1 or more", o.tasks)
	}
	if o.tasks > o.runs {
		return fmt.Errorf("sweep slurm: --tasks %d: more tasks than the %d runs; some would have nothing to do", o.tasks, o.runs)
	}
	if o.concurrent < 0 {
		return fmt.Errorf("sweep slurm: --concurrent %d: want 0 (no limit) or more", o.concurrent)
	}
	if o.cpus < 1 {
		return fmt.Errorf("sweep slurm: --cpus-per-task %d: want 1 or more", o.cpus)
	}
	if o.time != "" && !slurmTime.MatchString(o.time) {
		return fmt.Errorf("sweep slurm: --time %q: want minutes, HH:MM:SS or D-HH:MM:SS", o.time)
	}
	for _, v := range []string{o.partition, o.mem, o.account} {
		if strings.ContainsAny(v, " \t\n'\"$`\\") {
			return fmt.Errorf("sweep slurm: %q: no spaces or shell characters, please", v)
		}
	}
	o.perTask = (o.runs + o.tasks - 1) / o.tasks
	return nil
}

// directives are the #SBATCH lines both jobs share.
func (o *slurmOptions) directives(b *strings.Builder) {
	for _, kv := range [][2]string{{"partition", o.partition}, {"time", o.time}, {"mem", o.mem}, {"account", o.account}} {
		if kv[1] != "" {
			fmt.Fprintf(b, "#SBATCH --%s=%s\n", kv[0], kv[1])
		}
	}
}

func (o *slurmOptions) arrayScript() string {
	var b strings.Builder
	array := fmt.Sprintf("0-%d", o.tasks-1)
	if o.concurrent > 0 {
		array += fmt.Sprintf("%%%d", o.concurrent)
	}
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Sweep %s: %d runs in %d array tasks. Written by 'migrasim sweep slurm'.\n", o.sweep, o.runs, o.tasks)
	fmt.Fprintf(&b, "# Array task I runs runs I, I+%d, I+%d, ... of plan.jsonl; running a task again\n", o.tasks, 2*o.tasks)
	fmt.Fprintf(&b, "# skips the runs it finished: resubmit one with 'sbatch --array=I %s'.\n", filepath.Join(o.dir, "slurm", "sweep.sbatch"))
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", jobName(o.sweep))
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", o.cpus)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(o.dir, "slurm", "logs", "task-%a-job-%A.out"))
	o.directives(&b)
	fmt.Fprintf(&b, "set -eu\n")
	fmt.Fprintf(&b, "exec %s sweep run %s --tasks %d --workers \"${SLURM_CPUS_PER_TASK:-%d}\" --log json\n",
		shellQuote(o.binary), shellQuote(o.dir), o.tasks, o.cpus)
	return b.String()
}

func (o *slurmOptions) mergeScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Merges sweep %s once its job array has succeeded. Written by 'migrasim sweep slurm'.\n", o.sweep)
	fmt.Fprintf(&b, "#SBATCH --job-name=%s-merge\n", jobName(o.sweep))
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=1\n")
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(o.dir, "slurm", "logs", "merge-job-%j.out"))
	o.directives(&b)
	fmt.Fprintf(&b, "set -eu\n")
	fmt.Fprintf(&b, "exec %s sweep merge %s\n", shellQuote(o.binary), shellQuote(o.dir))
	return b.String()
}

// sbatchCommands are the commands that submit the array and its merge.
func (o *slurmOptions) sbatchCommands() string {
	sdir := filepath.Join(o.dir, "slurm")
	return fmt.Sprintf("jid=$(sbatch --parsable %s) && jid=${jid%%%%;*}\nsbatch --parsable --dependency=afterok:$jid %s\n",
		shellQuote(filepath.Join(sdir, "sweep.sbatch")), shellQuote(filepath.Join(sdir, "merge.sbatch")))
}

func (o *slurmOptions) submitScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n")
	fmt.Fprintf(&b, "# Submits the job array of sweep %s and the merge job that waits for all of\n", o.sweep)
	fmt.Fprintf(&b, "# its tasks to succeed. Written by 'migrasim sweep slurm'.\n")
	fmt.Fprintf(&b, "set -eu\n")
	sdir := filepath.Join(o.dir, "slurm")
	fmt.Fprintf(&b, "jid=$(sbatch --parsable %s)\njid=${jid%%%%;*}\n", shellQuote(filepath.Join(sdir, "sweep.sbatch")))
	fmt.Fprintf(&b, "mid=$(sbatch --parsable --dependency=afterok:$jid %s)\nmid=${mid%%%%;*}\n", shellQuote(filepath.Join(sdir, "merge.sbatch")))
	fmt.Fprintf(&b, "echo \"array job $jid, merge job $mid\"\n")
	return b.String()
}

// jobName is the sweep's name as a safe Slurm job name.
func jobName(sweep string) string {
	return "migrasim-" + regexp.MustCompile(`[^A-Za-z0-9._-]`).ReplaceAllString(sweep, "_")
}

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if s != "" && regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, prefix) + "\n"
}
