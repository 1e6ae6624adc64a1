package sweep

import "fmt"

// Progress is what the status logs of a sweep's tasks say: per task file
// its succeeded and failed runs, the runs without a result, and the tasks of
// Tasks that own those.
type Progress struct {
	Plan   *Plan
	Files  []FileProgress
	Done   map[int]bool   // runs with a result
	Failed map[int]string // runs whose last try failed and that no task completed, with the error
	Left   []int          // runs without a result, in order
	Tasks  int            // the split the owners refer to; 0 when the files mix several splits
	Owners []int          // tasks of Tasks that own a run of Left, in order
}

// FileProgress counts one task file's runs.
type FileProgress struct {
	Name              string
	Succeeded, Failed int
}

// ReadProgress reads the status logs in dir/tasks (safe while tasks run).
// tasks is the split to name owners in; 0 means the one the files were
// written with.
func ReadProgress(dir string, tasks int) (*Progress, error) {
	pl, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	statuses, err := ReadStatuses(dir)
	if err != nil {
		return nil, err
	}
	pr := &Progress{Plan: pl, Done: map[int]bool{}, Failed: map[int]string{}, Tasks: tasks}
	for _, ts := range statuses {
		f := FileProgress{Name: ts.Name}
		for _, st := range ts.Runs {
			if st.Status == Succeeded {
				f.Succeeded++
				pr.Done[st.Run] = true
			} else {
				f.Failed++
				pr.Failed[st.Run] = st.Error
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
	for r := range pr.Failed {
		if pr.Done[r] {
			delete(pr.Failed, r)
		}
	}
	pr.Tasks = max(pr.Tasks, 0)
	owners := map[int]bool{}
	for r := range pl.Runs {
		if !pr.Done[r] {
			pr.Left = append(pr.Left, r)
			if pr.Tasks > 0 {
				owners[r%pr.Tasks] = true
			}
		}
	}
	for i := range pr.Tasks {
		if owners[i] {
			pr.Owners = append(pr.Owners, i)
		}
	}
	return pr, nil
}
