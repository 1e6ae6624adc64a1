package report

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"migrasim/results"
	"migrasim/sim"
)

// RunRequest is what 'migrasim run' was asked: one scenario, its settings
// already applied and checked.
type RunRequest struct {
	Scenario *sim.Params
	Workers  int
	// ByDepartment also writes the series and summary by department.
	ByDepartment bool
	Dir          string // output folder; "" for out/<scenario>
	Force        bool   // replace a result already in Dir
}

// Run runs the scenario and writes series.csv, summary.csv, the plots and
// the manifest (with the department files if asked), then the summary
// table and the list of files written to c.Stdout.
func Run(ctx context.Context, c *Console, req RunRequest) error {
	p := req.Scenario
	warnings := c.Warn(p)
	dir := req.Dir
	if dir == "" {
		dir = filepath.Join("out", p.Name)
	}
	if err := results.CheckDir(dir, req.Force); err != nil {
		return err
	}
	start := time.Now()
	bar := c.progress("run", p.Name)
	series, err := sim.Run(ctx, p, sim.Options{Workers: req.Workers, Progress: bar.update, ByDepartment: req.ByDepartment})
	bar.Finish()
	if ctx.Err() != nil {
		return Stopped()
	}
	if err != nil {
		return fmt.Errorf("scenario %s: %w", p.Name, err)
	}
	m := c.manifest(p, req.Workers, time.Since(start))
	m.Warnings = warnings
	outputs, files, err := runOutputs(ctx, p.Name, series, req.ByDepartment)
	if err != nil {
		return err
	}
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	if err := results.WriteTable(c.Stdout, series); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "\nwrote %s (%smanifest.json)\n", dir, files)
	return nil
}

// runOutputs lists the files of a run's result set, and describes them for
// the line that says what was written ("series.csv, ..., 8 plots, ").
func runOutputs(ctx context.Context, name string, series []sim.Series, byDepartment bool) ([]results.Output, string, error) {
	outputs := []results.Output{
		{Name: "series.csv", Write: func(w io.Writer) error { return results.WriteSeries(w, series) }},
		{Name: "summary.csv", Write: func(w io.Writer) error { return results.WriteSummary(w, series) }},
	}
	files := "series.csv, summary.csv, "
	if byDepartment {
		outputs = append(outputs,
			results.Output{Name: "series_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentSeries(w, series) }},
			results.Output{Name: "summary_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentSummary(w, series) }})
		files += "series_department.csv, summary_department.csv, "
	}
	topics, err := results.TopicPlots(ctx, []string{name}, [][]sim.Series{series})
	if err != nil {
		return nil, "", err
	}
	outputs = append(outputs, topics...)
	return outputs, files + fmt.Sprintf("%d plots, ", len(topics)), nil
}
