package sweep

import (
	"fmt"
	"sort"
)

// Progress is what a sweep's task files say, checked as merge checks them:
// per task file its succeeded and failed runs, the runs with a checked
// result, the runs without one and why, and the tasks of Tasks that own
// those.
type Progress struct {
	Plan    *Plan
	Files   []FileProgress
	Done    map[int]bool   // runs with a checked result
	Failed  map[int]string // runs whose last try failed and that no task completed, with the error
	Damaged []FailedRun    // runs whose only records fail merge's checks
	Unused  []error        // task files that cannot be used (damaged, another plan's), with what to do
	Left    []int          // runs without a checked result, in order
	Tasks   int            // the split the owners refer to; 0 when the files mix several splits
	Owners  []int          // tasks of Tasks that own a run of Left, in order
	report  *MergeReport
}

// FileProgress counts one task file's runs.
type FileProgress struct {
	Name              string
	Succeeded, Failed int
}

// Complete reports whether merge would merge the sweep.
func (pr *Progress) Complete() bool { return pr.report.Complete() }

// Err is what merge would say is missing, or nil.
func (pr *Progress) Err() error { return pr.report.Err() }

// ReadProgress reads the task files in dir/tasks (safe while tasks run) and
// checks every record that merge would use. tasks is the split to name
// owners in; 0 means the one the files were written with.
func ReadProgress(dir string, tasks int) (*Progress, error) {
	pl, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	mg, rep, err := collect(pl)
	if err != nil {
		return nil, err
	}
	mg.close()
	statuses, _, err := pl.taskFiles()
	if err != nil {
		return nil, err
	}
	pr := &Progress{Plan: pl, Done: map[int]bool{}, Failed: map[int]string{}, Tasks: tasks,
		Damaged: rep.Damaged, Unused: rep.Files, report: rep}
	for r, s := range mg.src {
		if s != nil {
			pr.Done[r] = true
		}
	}
	for _, f := range rep.Failed {
		pr.Failed[f.Run] = f.Error
	}
	for _, ts := range statuses {
		f := FileProgress{Name: ts.Name}
		for _, st := range ts.Runs {
			if st.Status == Succeeded {
				f.Succeeded++
			} else {
				f.Failed++
			}
		}
		pr.Files = append(pr.Files, f)
		var i, of int
		if _, err := fmt.Sscanf(ts.Name, "task-%d-of-%d", &i, &of); err == nil && tasks == 0 {
			if pr.Tasks == 0 || pr.Tasks == of {
				pr.Tasks = of
			} else {
				pr.Tasks = -1 // files of several splits: the caller must say
			}
		}
	}
	pr.Tasks = max(pr.Tasks, 0)
	owners := map[int]bool{}
	for r := range pl.Runs {
		if !pr.Done[r] {
			pr.Left = append(pr.Left, r)
			if pr.Tasks > 0 {
				owners[pl.Owner(r, pr.Tasks)] = true
			}
		}
	}
	for i := range pr.Tasks {
		if owners[i] {
			pr.Owners = append(pr.Owners, i)
		}
	}
	sort.Slice(pr.Damaged, func(i, j int) bool { return pr.Damaged[i].Run < pr.Damaged[j].Run })
	return pr, nil
}
