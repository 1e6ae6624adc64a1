package main

import (
	"context"
	"fmt"

	"migrasim/report"
)

func init() {
	register(command{name: "sensitivity", usage: "DIR [--outcome NAME,...] [--effect] [--out DIR/sensitivity] [--force]",
		summary: "which swept keys drive a merged sweep's outcomes (Sobol indices) and where (PRIM)",
		run:     runSensitivity})
}

func runSensitivity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("sensitivity"), e, details("sensitivity"))
	var req report.SensitivityRequest
	fs.StringVar(&req.Outcomes, "outcome", "departures_total", "comma-separated measures or metrics, or all")
	effect := fs.Bool("effect", false, "PRIM looks for outcome > 0 instead of outcome above its median (the default for a comparison sweep)")
	fs.StringVar(&req.Dir, "out", "", "output folder (default DIR/sensitivity)")
	fs.BoolVar(&req.Force, "force", false, forceUsage)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sensitivity: want the folder of a merged sweep, got %d arguments", len(pos))
	}
	req.Sweep = pos[0]
	if flagGiven(fs, "effect") {
		req.Effect = effect
	}
	return report.Sensitivity(ctx, e.console(true), req)
}
