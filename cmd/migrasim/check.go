package main

import (
	"context"
	"fmt"

	"migrasim/scenarios"
)

func init() {
	register(command{name: "check", usage: "SCENARIO|FILE",
		summary: "validate a scenario and print its resolved parameters as TOML", run: runCheck})
}

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("check"), e, details("check"))
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("check: want one scenario name or file, got %d arguments", len(pos))
	}
	p, err := loadScenario(pos[0])
	if err != nil {
		return err
	}
	e.console(true).Warn(p)
	fmt.Fprint(e.stdout, scenarios.Format(p))
	return nil
}
