package sweep

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"migrasim/results"
	"migrasim/sim"
)

// A task's results are two files in the sweep folder's tasks/:
//
//   - task-I-of-N.runs: the run records (AppendRunRecord), appended and
//     synced one run at a time;
//   - task-I-of-N.status: the status log, one JSON line (RunStatus) per
//     run the task has tried, rewritten atomically after every run.
//
// A run counts as done only when the status log says it succeeded and its
// record (offset, length, SHA-256) checks out. A task killed at any instant
// therefore leaves at worst a record that no status line points to, which
// the next attempt cuts off; it never leaves a half result that anything
// trusts.

// Run statuses.
const (
	Succeeded = "succeeded"
	Failed    = "failed"
)

// RunStatus is one line of a status log.
type RunStatus struct {
	Plan     string  `json:"plan"`           // the ID of the plan the run belongs to (PlanHeader.ID)
	Engine   string  `json:"engine_version"` // sim.Version of the binary that ran it
	Run      int     `json:"run"`
	Status   string  `json:"status"`   // Succeeded or Failed
	Attempts int     `json:"attempts"` // tries so far, by this task's file
	Seconds  float64 `json:"seconds"`  // wall time of the last try
	Error    string  `json:"error,omitempty"`
	Offset   int64   `json:"offset"`           // of the record in the .runs file
	Length   int64   `json:"length"`           // of the record; 0 unless succeeded
	SHA256   string  `json:"sha256,omitempty"` // of the record
	Finished string  `json:"finished"`         // UTC, RFC 3339
	Host     string  `json:"host,omitempty"`
}

// TaskName is the file name stem of task i of n.
func TaskName(i, n int) string { return fmt.Sprintf("task-%04d-of-%04d", i, n) }

// Task is one task's result files, open for a run of the task.
type Task struct {
	Name    string
	Dropped []int // succeeded runs whose record failed its check at open: they run again

	plan   *Plan
	dir    string
	mu     sync.Mutex
	lock   *os.File
	data   *os.File
	status map[int]*RunStatus
	end    int64
	host   string
}

// OpenTask opens (creating if need be) the files of task i of n of the
// plan pl and locks them, so two copies of a task never write at once. It
// refuses files that hold results of another plan, and checks every
// succeeded run's record as merge does, dropping those that fail.
func OpenTask(pl *Plan, i, n int) (*Task, error) {
	t := &Task{Name: TaskName(i, n), plan: pl, dir: filepath.Join(pl.Dir, TasksDir), status: map[int]*RunStatus{}}
	t.host, _ = os.Hostname()
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return nil, fmt.Errorf("task %d of %d: %w", i, n, err)
	}
	lock, err := lockFile(filepath.Join(t.dir, t.Name+".lock"))
	if err != nil {
		return nil, fmt.Errorf("task %d of %d: %w", i, n, err)
	}
	t.lock = lock
	fail := func(err error) (*Task, error) {
		t.Close()
		return nil, err
	}
	runs, err := readStatus(t.path(".status"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail(err)
	}
	if err := pl.mine(t.Name, runs); err != nil {
		return fail(err)
	}
	t.data, err = os.OpenFile(t.path(".runs"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fail(fmt.Errorf("task %d of %d: %w", i, n, err))
	}
	for _, st := range runs {
		if st.Status == Succeeded {
			if _, err := pl.checkRecord(t.data, &st); err != nil {
				t.Dropped = append(t.Dropped, st.Run)
				continue
			}
			t.end = max(t.end, st.Offset+st.Length)
		}
		t.status[st.Run] = &st
	}
	// Cut off what no status line points to: the record of a run that was
	// being written when the task was killed.
	if err := t.data.Truncate(t.end); err != nil {
		return fail(fmt.Errorf("%s: %w", t.path(".runs"), err))
	}
	if len(t.Dropped) > 0 {
		if err := t.writeStatus(); err != nil {
			return fail(err)
		}
	}
	return t, nil
}

// mine checks that the status lines of task file name are of pl, and of
// runs in it.
func (pl *Plan) mine(name string, runs []RunStatus) error {
	path := filepath.Join(pl.Dir, TasksDir, name)
	for _, st := range runs {
		if id := pl.Header.ID(); st.Plan != id {
			engine := st.Engine
			if engine == "" {
				engine = "unknown"
			}
			return fmt.Errorf("%s.status holds results of another plan (plan %.12s, engine %s; this one is plan %.12s, engine %s), which would be taken for this plan's: delete %s.status and %s.runs, or plan into a new folder",
				path, st.Plan, engine, id, pl.Header.Engine, path, path)
		}
		if st.Run < 0 || st.Run >= len(pl.Runs) {
			return fmt.Errorf("%s.status: run %d is not in the plan (%d runs): delete %s.status and %s.runs", path, st.Run, len(pl.Runs), path, path)
		}
	}
	return nil
}

func (t *Task) path(ext string) string { return filepath.Join(t.dir, t.Name+ext) }

// Status returns the status of run, if the task has tried it.
func (t *Task) Status(run int) (RunStatus, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.status[run]
	if !ok {
		return RunStatus{}, false
	}
	return *st, true
}

// Record stores the series of a succeeded run: the record first, synced,
// then the status log that points to it.
func (t *Task) Record(run int, s *sim.Series, seconds float64) error {
	return t.Store(run, AppendRunRecord(nil, run, s), seconds)
}

// Store stores the record rec of a succeeded run (AppendRunRecord, or
// AppendDiffRecord in a comparison sweep): the record first, synced, then
// the status log that points to it.
func (t *Task) Store(run int, rec []byte, seconds float64) error {
	sum := sha256.Sum256(rec)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := t.data.WriteAt(rec, t.end); err != nil {
		return fmt.Errorf("%s: %w", t.path(".runs"), err)
	}
	if err := t.data.Sync(); err != nil {
		return fmt.Errorf("%s: %w", t.path(".runs"), err)
	}
	st := t.entry(run)
	st.Status, st.Error, st.Seconds = Succeeded, "", seconds
	st.Offset, st.Length, st.SHA256 = t.end, int64(len(rec)), hex.EncodeToString(sum[:])
	t.end += int64(len(rec))
	return t.writeStatus()
}

// Fail records that run failed with err.
func (t *Task) Fail(run int, err error, seconds float64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.entry(run)
	st.Status, st.Error, st.Seconds = Failed, err.Error(), seconds
	st.Offset, st.Length, st.SHA256 = 0, 0, ""
	return t.writeStatus()
}

func (t *Task) entry(run int) *RunStatus {
	st, ok := t.status[run]
	if !ok {
		st = &RunStatus{Run: run}
		t.status[run] = st
	}
	st.Plan, st.Engine = t.plan.Header.ID(), t.plan.Header.Engine
	st.Attempts++
	st.Finished = time.Now().UTC().Format(time.RFC3339)
	st.Host = t.host
	return st
}

func (t *Task) writeStatus() error {
	runs := make([]int, 0, len(t.status))
	for r := range t.status {
		runs = append(runs, r)
	}
	sort.Ints(runs)
	_, err := results.WriteAtomic(t.path(".status"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, r := range runs {
			if err := enc.Encode(t.status[r]); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// Close closes the files and releases the lock.
func (t *Task) Close() error {
	var err error
	if t.data != nil {
		err = t.data.Close()
	}
	if t.lock != nil {
		t.lock.Close() // closing releases the lock
	}
	return err
}

// readStatus reads a status log. A damaged one (which atomic rewrites do
// not leave: something else changed it) is a *DamagedError that names the
// file and what to do.
func readStatus(path string) ([]RunStatus, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	damaged := func(n int, what string) error {
		runs := strings.TrimSuffix(path, ".status") + ".runs"
		return &DamagedError{Path: path, Msg: fmt.Sprintf("%s:%d: damaged (%s): delete %s and %s, then run its task again, which runs its runs again",
			path, n, what, path, runs)}
	}
	var out []RunStatus
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		var st RunStatus
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			return nil, damaged(n, err.Error())
		}
		if st.Status != Succeeded && st.Status != Failed {
			return nil, damaged(n, fmt.Sprintf("status %q, want %q or %q", st.Status, Succeeded, Failed))
		}
		out = append(out, st)
	}
	if err := sc.Err(); err != nil {
		return nil, damaged(n+1, err.Error())
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return nil, damaged(n, "its last line is cut short")
	}
	return out, nil
}

// DamagedError is a task's status log that cannot be read.
type DamagedError struct {
	Path string
	Msg  string
}

func (e *DamagedError) Error() string { return e.Msg }

// checkRecord reads and checks the record a status line points to, as
// merge needs it: its SHA-256, and that it is the planned run.
func (pl *Plan) checkRecord(f *os.File, st *RunStatus) ([]byte, error) {
	b, err := readRecord(f, st)
	if err != nil {
		return nil, err
	}
	if pl.Header.Kind != KindRuns {
		return b, pl.checkDiffRecord(b, st.Run)
	}
	run, s, err := ReadRunRecord(b)
	if err != nil {
		return nil, err
	}
	want := pl.Runs[st.Run]
	if run != st.Run || s.Replicate != want.Replicate || s.Scenario != want.Scenario {
		return nil, fmt.Errorf("record of run %d is run %d (%s, replicate %d), want %s replicate %d",
			st.Run, run, s.Scenario, s.Replicate, want.Scenario, want.Replicate)
	}
	return b, nil
}

// readRecord reads the record a status line points to and checks its SHA-256.
func readRecord(f *os.File, st *RunStatus) ([]byte, error) {
	if st.Length <= 0 || st.Offset < 0 {
		return nil, fmt.Errorf("run %d: no record", st.Run)
	}
	if st.Length > max(maxRecord, maxDiffRecord) {
		return nil, fmt.Errorf("run %d: a record of %d bytes, more than a run can make", st.Run, st.Length)
	}
	b := make([]byte, st.Length)
	if _, err := f.ReadAt(b, st.Offset); err != nil {
		return nil, fmt.Errorf("run %d: record at %d: %w", st.Run, st.Offset, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != st.SHA256 {
		return nil, fmt.Errorf("run %d: record at %d does not match its SHA-256", st.Run, st.Offset)
	}
	return b, nil
}

// TaskStatus is the status log of one task file, as read by ReadStatuses.
type TaskStatus struct {
	Name string // e.g. task-0002-of-0004
	Runs []RunStatus
}

// maxRecord is the longest record a run can make: 600 months of every
// country and metric, and a long name.
const maxRecord = recordHead + 1<<16 + 8*600*int64(sim.NumCountries)*int64(sim.NumMetrics)

// ReadStatuses reads the status logs of every task in the sweep folder dir,
// sorted by name. Logs are replaced atomically, so reading them while tasks
// run is safe.
func ReadStatuses(dir string) ([]TaskStatus, error) {
	paths, err := filepath.Glob(filepath.Join(dir, TasksDir, "task-*.status"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []TaskStatus
	for _, p := range paths {
		runs, err := readStatus(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, TaskStatus{Name: strings.TrimSuffix(filepath.Base(p), ".status"), Runs: runs})
	}
	return out, nil
}
