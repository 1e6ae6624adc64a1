package sweep

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"migrasim/results"
)

// Slurm describes the sbatch scripts of a planned sweep: a job array whose
// task I runs 'migrasim sweep run DIR --tasks N' with SLURM_ARRAY_TASK_ID = I,
// and a merge job that waits for the array to succeed.
type Slurm struct {
	Sweep  string // the sweep's name, for job names
	Dir    string // the plan's folder, absolute: the compute nodes must see it at this path
	Binary string // migrasim's path on the compute nodes
	Runs   int    // runs in the plan

	Tasks      int    // array tasks; 0 means one per run, at most 100
	Concurrent int    // array tasks at once (the %K of --array); 0 means no limit
	CPUs       int    // CPUs of each task, at least 1: its runs use that many workers
	Partition  string // "" for the cluster's default
	Time       string // time limit of each job, sbatch's formats; "" for the partition's
	Mem        string // memory of each task, e.g. "2G"; "" for the partition's
	Account    string // "" for the user's default

	PerTask int // runs of the largest task, set by Check
}

// NewSlurm describes the scripts of the plan pl with default settings.
func NewSlurm(pl *Plan, binary string) (*Slurm, error) {
	dir, err := filepath.Abs(pl.Dir)
	if err != nil {
		return nil, err
	}
	return &Slurm{Sweep: pl.Header.Sweep, Dir: dir, Binary: binary, Runs: len(pl.Runs), CPUs: 1}, nil
}

// Write checks the settings and writes DIR/slurm/sweep.sbatch, merge.sbatch
// and submit.sh (executable) and the logs/ folder; it returns DIR/slurm.
func (o *Slurm) Write() (string, error) {
	if err := o.Check(); err != nil {
		return "", err
	}
	sdir := filepath.Join(o.Dir, "slurm")
	if err := os.MkdirAll(filepath.Join(sdir, "logs"), 0o755); err != nil {
		return "", fmt.Errorf("sweep slurm: %w", err)
	}
	for name, text := range map[string]string{"sweep.sbatch": o.arrayScript(), "merge.sbatch": o.mergeScript(), "submit.sh": o.submitScript()} {
		if _, err := results.WriteAtomic(filepath.Join(sdir, name), func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
			return "", err
		}
		if err := os.Chmod(filepath.Join(sdir, name), 0o755); err != nil {
			return "", err
		}
	}
	return sdir, nil
}

// slurmTime matches sbatch's time formats: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
var slurmTime = regexp.MustCompile(`^(\d+-)?\d+(:\d+){0,2}$|^UNLIMITED$|^INFINITE$`)

// Check fills in the defaults (Tasks: one per run, at most 100) and checks
// the settings, which go into shell scripts.
func (o *Slurm) Check() error {
	if o.Tasks == 0 {
		o.Tasks = min(o.Runs, 100)
	}
	if o.Tasks < 1 {
		return fmt.Errorf("sweep slurm: --tasks %d: want 1 or more", o.Tasks)
	}
	if o.Tasks > o.Runs {
		return fmt.Errorf("sweep slurm: --tasks %d: more tasks than the %d runs; some would have nothing to do", o.Tasks, o.Runs)
	}
	if o.Concurrent < 0 {
		return fmt.Errorf("sweep slurm: --concurrent %d: want 0 (no limit) or more", o.Concurrent)
	}
	if o.CPUs < 1 {
		return fmt.Errorf("sweep slurm: --cpus-per-task %d: want 1 or more", o.CPUs)
	}
	if o.Time != "" && !slurmTime.MatchString(o.Time) {
		return fmt.Errorf("sweep slurm: --time %q: want minutes, HH:MM:SS or D-HH:MM:SS", o.Time)
	}
	for _, v := range []string{o.Partition, o.Mem, o.Account} {
		if strings.ContainsAny(v, " \t\n'\"$`\\") {
			return fmt.Errorf("sweep slurm: %q: no spaces or shell characters, please", v)
		}
	}
	o.PerTask = (o.Runs + o.Tasks - 1) / o.Tasks
	return nil
}

// directives are the #SBATCH lines both jobs share.
func (o *Slurm) directives(b *strings.Builder) {
	for _, kv := range [][2]string{{"partition", o.Partition}, {"time", o.Time}, {"mem", o.Mem}, {"account", o.Account}} {
		if kv[1] != "" {
			fmt.Fprintf(b, "#SBATCH --%s=%s\n", kv[0], kv[1])
		}
	}
}

func (o *Slurm) arrayScript() string {
	var b strings.Builder
	array := fmt.Sprintf("0-%d", o.Tasks-1)
	if o.Concurrent > 0 {
		array += fmt.Sprintf("%%%d", o.Concurrent)
	}
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Sweep %s: %d runs in %d array tasks. Written by 'migrasim sweep slurm'.\n", o.Sweep, o.Runs, o.Tasks)
	fmt.Fprintf(&b, "# Array task I runs runs I, I+%d, I+%d, ... of plan.jsonl; running a task again\n", o.Tasks, 2*o.Tasks)
	fmt.Fprintf(&b, "# skips the runs it finished: resubmit one with 'sbatch --array=I %s'.\n", filepath.Join(o.Dir, "slurm", "sweep.sbatch"))
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", jobName(o.Sweep))
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", o.CPUs)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(o.Dir, "slurm", "logs", "task-%a-job-%A.out"))
	o.directives(&b)
	fmt.Fprintf(&b, "set -eu\n")
	fmt.Fprintf(&b, "exec %s sweep run %s --tasks %d --workers \"${SLURM_CPUS_PER_TASK:-%d}\" --log json\n",
		ShellQuote(o.Binary), ShellQuote(o.Dir), o.Tasks, o.CPUs)
	return b.String()
}

func (o *Slurm) mergeScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Merges sweep %s once its job array has succeeded. Written by 'migrasim sweep slurm'.\n", o.Sweep)
	fmt.Fprintf(&b, "#SBATCH --job-name=%s-merge\n", jobName(o.Sweep))
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=1\n")
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(o.Dir, "slurm", "logs", "merge-job-%j.out"))
	o.directives(&b)
	fmt.Fprintf(&b, "set -eu\n")
	fmt.Fprintf(&b, "exec %s sweep merge %s\n", ShellQuote(o.Binary), ShellQuote(o.Dir))
	return b.String()
}

// sbatchCommands are the commands that submit the array and its merge.
func (o *Slurm) SbatchCommands() string {
	sdir := filepath.Join(o.Dir, "slurm")
	return fmt.Sprintf("jid=$(sbatch --parsable %s) && jid=${jid%%%%;*}\nsbatch --parsable --dependency=afterok:$jid %s\n",
		ShellQuote(filepath.Join(sdir, "sweep.sbatch")), ShellQuote(filepath.Join(sdir, "merge.sbatch")))
}

func (o *Slurm) submitScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n")
	fmt.Fprintf(&b, "# Submits the job array of sweep %s and the merge job that waits for all of\n", o.Sweep)
	fmt.Fprintf(&b, "# its tasks to succeed. Written by 'migrasim sweep slurm'.\n")
	fmt.Fprintf(&b, "set -eu\n")
	sdir := filepath.Join(o.Dir, "slurm")
	fmt.Fprintf(&b, "jid=$(sbatch --parsable %s)\njid=${jid%%%%;*}\n", ShellQuote(filepath.Join(sdir, "sweep.sbatch")))
	fmt.Fprintf(&b, "mid=$(sbatch --parsable --dependency=afterok:$jid %s)\nmid=${mid%%%%;*}\n", ShellQuote(filepath.Join(sdir, "merge.sbatch")))
	fmt.Fprintf(&b, "echo \"array job $jid, merge job $mid\"\n")
	return b.String()
}

// jobName is the sweep's name as a safe Slurm job name.
func jobName(sweep string) string {
	return "migrasim-" + regexp.MustCompile(`[^A-Za-z0-9._-]`).ReplaceAllString(sweep, "_")
}

// ShellQuote quotes s for sh when it needs it.
func ShellQuote(s string) string {
	if s != "" && regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
