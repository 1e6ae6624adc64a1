package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Merged outputs of a sweep, beside manifest.json.
const (
	MergedSeries  = "series.csv"  // every run, the scenario column naming the design point
	MergedSummary = "summary.csv" // per design point, over its replicates
	MergedRuns    = "runs.csv"    // one row per run: parameters and outcomes
)

// MergeReport says what a merge found in the task files.
type MergeReport struct {
	Runs      int         // in the plan
	Succeeded int         // with a checked record
	Missing   []int       // runs no task has tried
	Failed    []FailedRun // runs whose last try failed and that no task completed
	Damaged   []FailedRun // runs whose only records fail their check (Error says how)
	Files     []error     // task files that cannot be used: damaged, or of another plan
	Copies    int         // runs completed by more than one task file, all identical
	dir       string
}

// FailedRun is a run that failed, with its task and error.
type FailedRun struct {
	Run      int
	Task     string
	Attempts int
	Error    string
}

// Complete reports whether every run of the plan has a checked result and
// every task file is this plan's and readable.
func (r *MergeReport) Complete() bool { return r.Succeeded == r.Runs && len(r.Files) == 0 }

// Err describes the missing, failed and damaged runs and the unusable task
// files, with what to do about each, or is nil.
func (r *MergeReport) Err() error {
	if r.Complete() {
		return nil
	}
	var b strings.Builder
	for i, err := range r.Files {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(err.Error())
	}
	if r.Succeeded < r.Runs {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d of %d runs have no result", r.Runs-r.Succeeded, r.Runs)
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "\n  %d never ran: %s", len(r.Missing), runList(r.Missing))
	}
	for i, f := range r.Failed {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more failed runs (see the status logs in tasks/)", len(r.Failed)-i)
			break
		}
		fmt.Fprintf(&b, "\n  run %d failed in %s (%d tries): %s", f.Run, f.Task, f.Attempts, f.Error)
	}
	for i, f := range r.Damaged {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more runs whose records fail their check", len(r.Damaged)-i)
			break
		}
		fmt.Fprintf(&b, "\n  run %d: %s: %s: %s runs it again", f.Run, filepath.Join(r.dir, TasksDir, f.Task+".runs"), f.Error, rerunHint(r.dir, f.Task))
	}
	if r.Succeeded < r.Runs {
		b.WriteString("\nrerun the tasks that own them ('migrasim sweep run DIR --task I --tasks N'; finished runs are skipped), then merge again")
	}
	return fmt.Errorf("%s", b.String())
}

// rerunHint names the command that reruns task file name of the sweep in dir.
func rerunHint(dir, name string) string {
	var i, n int
	if _, err := fmt.Sscanf(name, "task-%d-of-%d", &i, &n); err != nil {
		return "running its task again"
	}
	return fmt.Sprintf("'migrasim sweep run %s --task %d --tasks %d'", dir, i, n)
}

// runList prints run numbers compactly: 1-4, 9, 12-13.
func runList(runs []int) string {
	var parts []string
	for i := 0; i < len(runs); {
		j := i
		for j+1 < len(runs) && runs[j+1] == runs[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", runs[i], runs[j]))
		} else {
			parts = append(parts, strconv.Itoa(runs[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// source is where a run's record is.
type source struct {
	task string
	st   RunStatus
}

// merger reads the records of a plan's runs.
type merger struct {
	pl    *Plan
	src   []*source
	files map[string]*os.File
}

// Merge reads the plan in dir and merges its tasks' results into out with
// MergeSweep, under a manifest that records command (the arguments given).
func Merge(ctx context.Context, dir, out string, command []string) (*Plan, *MergeReport, error) {
	pl, err := ReadPlan(dir)
	if err != nil {
		return nil, nil, err
	}
	base, err := scenarios.Parse(filepath.Join(dir, PlanBaseFile), pl.Base)
	if err != nil {
		return nil, nil, err
	}
	h := &pl.Header
	m := &results.Manifest{
		Scenario:   h.Sweep,
		Seed:       base.Seed,
		Replicates: h.Replicates,
		Engine:     h.Engine,
		Arch:       h.Arch,
		Go:         runtime.Version(),
		Command:    command,
		InputHash:  results.Hash(pl.Base, []byte(h.PlanHash), scenarios.DataHash()),
		Resolved:   string(pl.Base),
	}
	if h.Kind != KindRuns {
		m.Scenario = fmt.Sprintf("%s: %s vs %s", h.Sweep, h.Compare[0], h.Compare[1])
		m.Resolved += "\n# ---- " + h.Compare[1] + " ----\n" + string(pl.B)
		m.InputHash = results.Hash(pl.Base, pl.B, []byte(h.PlanHash), []byte(h.PosteriorHash), scenarios.DataHash())
		if h.Kind == KindPosterior {
			m.Resolved += fmt.Sprintf("\n# ---- posterior ----\n# %s: sha256 %s; %d draws from seed %d; policy window %s to %s\n",
				h.Posterior, h.PosteriorHash, h.Draws, base.Seed, h.From, h.To)
		}
	}
	rep, err := MergeSweep(ctx, pl, out, m)
	if err != nil {
		return pl, rep, fmt.Errorf("sweep merge %s: %w", dir, err)
	}
	return pl, rep, nil
}

// MergeSweep combines the results of every task of pl into the folder out:
// series.csv and summary.csv exactly as 'migrasim run' writes them for each
// design point's scenario (concatenated, one header), runs.csv (one row per
// run: its parameters and outcomes), and the manifest m. The outputs depend
// only on the plan and the runs' results, never on how the runs were split
// into tasks. If any run has no checked result, or a task file cannot be
// used, it writes nothing and returns the report with an error naming them
// and what to do. Like results.WriteSet, it keeps a previous complete merge
// in out until the new one is complete, and stops when ctx is done.
func MergeSweep(ctx context.Context, pl *Plan, out string, m *results.Manifest) (*MergeReport, error) {
	mg, rep, err := collect(pl)
	if err != nil {
		return rep, err
	}
	defer mg.close()
	if err := rep.Err(); err != nil {
		return rep, err
	}
	if pl.Header.Kind != KindRuns {
		outputs, err := mg.pairedOutputs(ctx)
		if err != nil {
			return rep, err
		}
		return rep, results.WriteSet(ctx, out, outputs, m)
	}
	outputs := []results.Output{
		{Name: MergedSeries, Write: func(w io.Writer) error { return mg.eachPoint(ctx, w, results.WriteSeries) }},
		{Name: MergedSummary, Write: func(w io.Writer) error { return mg.eachPoint(ctx, w, results.WriteSummary) }},
		{Name: MergedRuns, Write: mg.writeRuns},
	}
	return rep, results.WriteSet(ctx, out, outputs, m)
}

// collect finds, for every run, a task file that completed it and whose
// record passes every check merge makes: the plan's, its SHA-256, and that
// it is the planned run.
func collect(pl *Plan) (*merger, *MergeReport, error) {
	rep := &MergeReport{Runs: len(pl.Runs), dir: pl.Dir}
	mg := &merger{pl: pl, src: make([]*source, len(pl.Runs)), files: map[string]*os.File{}}
	tasks, problems, err := pl.taskFiles()
	if err != nil {
		return nil, rep, err
	}
	rep.Files = problems
	failed := map[int]FailedRun{}
	damaged := map[int]FailedRun{}
	for _, t := range tasks {
		var f *os.File
		var openErr error
		for _, st := range t.Runs {
			if st.Status == Failed {
				if _, ok := failed[st.Run]; !ok {
					failed[st.Run] = FailedRun{Run: st.Run, Task: t.Name, Attempts: st.Attempts, Error: st.Error}
				}
				continue
			}
			if f == nil && openErr == nil {
				f, openErr = os.Open(filepath.Join(pl.Dir, TasksDir, t.Name+".runs"))
				if openErr == nil {
					mg.files[t.Name] = f
				}
			}
			if openErr != nil {
				damaged[st.Run] = FailedRun{Run: st.Run, Task: t.Name, Error: "cannot be read (" + openErr.Error() + ")"}
				continue
			}
			if _, err := pl.checkRecord(f, &st); err != nil {
				damaged[st.Run] = FailedRun{Run: st.Run, Task: t.Name, Error: strings.TrimPrefix(err.Error(), fmt.Sprintf("run %d: ", st.Run))}
				continue
			}
			if prev := mg.src[st.Run]; prev != nil {
				if prev.st.SHA256 != st.SHA256 {
					mg.close()
					return nil, rep, fmt.Errorf("run %d has different results in %s and %s: the runs are not reproducible (different migrasim builds?); delete one task's files (tasks/%s.status and .runs) and merge again",
						st.Run, prev.task, t.Name, t.Name)
				}
				rep.Copies++
				continue
			}
			mg.src[st.Run] = &source{task: t.Name, st: st}
		}
	}
	for r, s := range mg.src {
		if s != nil {
			rep.Succeeded++
			continue
		}
		if d, ok := damaged[r]; ok {
			rep.Damaged = append(rep.Damaged, d)
		} else if f, ok := failed[r]; ok {
			rep.Failed = append(rep.Failed, f)
		} else {
			rep.Missing = append(rep.Missing, r)
		}
	}
	return mg, rep, nil
}

// taskFiles reads the status logs of pl's tasks: those that are this
// plan's, and a problem, naming the file and what to do, for each other.
func (pl *Plan) taskFiles() ([]TaskStatus, []error, error) {
	paths, err := filepath.Glob(filepath.Join(pl.Dir, TasksDir, "task-*.status"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	var good []TaskStatus
	var bad []error
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".status")
		runs, err := readStatus(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		var de *DamagedError
		if errors.As(err, &de) {
			bad = append(bad, err)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if err := pl.mine(name, runs); err != nil {
			bad = append(bad, err)
			continue
		}
		good = append(good, TaskStatus{Name: name, Runs: runs})
	}
	return good, bad, nil
}

func (mg *merger) close() {
	for _, f := range mg.files {
		f.Close()
	}
}

// file opens the .runs file of task name, once.
func (mg *merger) file(name string) (*os.File, error) {
	if f, ok := mg.files[name]; ok {
		return f, nil
	}
	f, err := os.Open(filepath.Join(mg.pl.Dir, TasksDir, name+".runs"))
	if err != nil {
		return nil, err
	}
	mg.files[name] = f
	return f, nil
}

// load reads and checks the series of run r.
func (mg *merger) load(r int) (sim.Series, error) {
	src := mg.src[r]
	f, err := mg.file(src.task)
	if err != nil {
		return sim.Series{}, err
	}
	b, err := mg.pl.checkRecord(f, &src.st)
	if err != nil {
		return sim.Series{}, fmt.Errorf("%s: %w: %s runs it again", f.Name(), err, rerunHint(mg.pl.Dir, src.task))
	}
	_, s, err := ReadRunRecord(b)
	if err != nil {
		return s, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return s, nil
}

// eachPoint writes every design point's replicates with write (results.WriteSeries
// or results.WriteSummary), keeping the header of the first point only.
func (mg *merger) eachPoint(ctx context.Context, w io.Writer, write func(io.Writer, []sim.Series) error) error {
	runs := mg.pl.Runs
	for i := 0; i < len(runs); {
		if err := ctx.Err(); err != nil {
			return err
		}
		j := i
		for j < len(runs) && runs[j].Point == runs[i].Point {
			j++
		}
		series := make([]sim.Series, 0, j-i)
		for r := i; r < j; r++ {
			s, err := mg.load(r)
			if err != nil {
				return err
			}
			series = append(series, s)
		}
		dst := w
		if i > 0 {
			dst = &skipLine{w: w}
		}
		if err := write(dst, series); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// RunsHeader returns the columns of runs.csv for swept keys: run, point,
// scenario, replicate, seed, each key, then COUNTRY_metric for every
// country and metric (flows summed over the run, stocks at its end, rates
// averaged, as in summary.csv's "all" period).
func RunsHeader(keys []string) []string {
	h := append([]string{"run", "point", "scenario", "replicate", "seed"}, keys...)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m := sim.Metric(0); m < sim.NumMetrics; m++ {
			h = append(h, c.Code()+"_"+m.Name())
		}
	}
	return h
}

func (mg *merger) writeRuns(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	results.WriteRow(bw, RunsHeader(mg.pl.Header.Keys))
	var buf []byte
	for r, pr := range mg.pl.Runs {
		s, err := mg.load(r)
		if err != nil {
			return err
		}
		all := results.Period{Label: "all", From: 0, To: s.Months}
		buf = appendRunHead(buf[:0], &pr, pr.Replicate)
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			for m := sim.Metric(0); m < sim.NumMetrics; m++ {
				buf = append(buf, ',')
				buf = results.AppendValue(buf, results.Aggregate(&s, c, m, all))
			}
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// jsonCell is a JSON value as a CSV cell: strings unquoted, numbers exactly
// as planned, anything else as JSON.
func jsonCell(v json.RawMessage) string {
	var s string
	if bytes.HasPrefix(v, []byte(`"`)) && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// skipLine drops everything up to and including the first newline.
type skipLine struct {
	w    io.Writer
	done bool
}

func (s *skipLine) Write(p []byte) (int, error) {
	if s.done {
		return s.w.Write(p)
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return len(p), nil
	}
	s.done = true
	if _, err := s.w.Write(p[i+1:]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// appendRunHead appends the columns of a runs.csv row before its outcomes:
// run, point, scenario, replicate, seed and the design point's keys.
func appendRunHead(buf []byte, pr *PlanRun, replicate int) []byte {
	buf = strconv.AppendInt(buf, int64(pr.Run), 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(pr.Point), 10)
	buf = append(buf, ',')
	buf = results.AppendField(buf, pr.Scenario)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(replicate), 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, pr.Seed, 10)
	for _, p := range pr.Params {
		buf = append(buf, ',')
		buf = results.AppendField(buf, jsonCell(p.Value))
	}
	return buf
}
