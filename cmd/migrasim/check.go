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

const checkDetails = `
Prints every parameter of the resolved scenario (defaults, data and the
scenario's own values) as a TOML scenario, with each key's unit and range.
The output is itself a scenario that 'migrasim run' accepts. Problems are
reported as FILE:LINE: KEY: MESSAGE, all at once, with exit status 1. A
lever that never acts within the run (set without from, or from after the
last month) is a warning on stderr; the exit status stays 0.`

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("check"), e, checkDetails)
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
	warn(e, p)
	fmt.Fprint(e.stdout, scenarios.Format(p))
	return nil
}
