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

	dir    string
	mu     sync.Mutex
	lock   *os.File
	data   *os.File
	status map[int]*RunStatus
	end    int64
	host   string
}

// OpenTask opens (creating if need be) the files of task i of n in the
// sweep folder dir and locks them, so two copies of a task never write at
// once. It checks every succeeded run's record and drops those that fail.
func OpenTask(dir string, i, n int) (*Task, error) {
	t := &Task{Name: TaskName(i, n), dir: filepath.Join(dir, TasksDir), status: map[int]*RunStatus{}}
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
	t.data, err = os.OpenFile(t.path(".runs"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fail(fmt.Errorf("task %d of %d: %w", i, n, err))
	}
	for _, st := range runs {
		if st.Status == Succeeded {
			if _, err := readRecord(t.data, &st); err != nil {
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
	rec := AppendRunRecord(nil, run, s)
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

// readStatus reads a status log.
func readStatus(path string) ([]RunStatus, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []RunStatus
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		var st RunStatus
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if st.Status != Succeeded && st.Status != Failed {
			return nil, fmt.Errorf("%s:%d: status %q, want %q or %q", path, n, st.Status, Succeeded, Failed)
		}
		out = append(out, st)
	}
	return out, sc.Err()
}

// readRecord reads and checks the record a status line points to.
func readRecord(f *os.File, st *RunStatus) ([]byte, error) {
	if st.Length <= 0 || st.Offset < 0 {
		return nil, fmt.Errorf("run %d: no record", st.Run)
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
