package report

import (
	"context"
	"fmt"
	"io"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/sweep"
)

// decompose runs compare --mechanisms (sweep.NewDecomposition): at the
// scenarios' own keys when post is nil, else over the same draws of the
// posterior as the comparison.
func decompose(ctx context.Context, c *Console, req CompareRequest, post *calibrate.Particles) ([]results.MechanismRow, error) {
	draws := 0
	if post != nil {
		draws = req.Draws
	}
	d, err := sweep.NewDecomposition(req.Scenarios, post, draws, req.From, req.To, req.Workers)
	if err != nil {
		return nil, err
	}
	d.Priors = req.Priors // none without a posterior: Check refuses them
	bar := c.progress("compare", "mechanisms")
	d.Progress = bar.update
	rows, err := d.Run(ctx)
	return rows, bar.done(ctx, err)
}

// mechanismsOutput is mechanisms.csv.
func mechanismsOutput(rows []results.MechanismRow) results.Output {
	return results.Output{Name: "mechanisms.csv", Write: func(w io.Writer) error { return results.WriteMechanisms(w, rows) }}
}

// mechanismsFile is "mechanisms.csv, " when there are rows, for the list
// of files written.
func mechanismsFile(rows []results.MechanismRow) string {
	if len(rows) == 0 {
		return ""
	}
	return "mechanisms.csv, "
}

// printMechanisms prints the decomposition of departures over the whole
// policy window, if there is one.
func printMechanisms(w io.Writer, rows []results.MechanismRow) error {
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return results.WriteMechanismTable(w, rows, "departures_total", "all")
}
