package main

import (
	"fmt"

	"migrasim/scenarios"
	"migrasim/sim"
)

// loadScenario loads a scenario for run, check or compare. A sweep spec
// given instead fails to load on its [sweep] table; the error then says what
// the file is and which command takes it.
func loadScenario(nameOrPath string) (*sim.Params, error) {
	p, err := scenarios.Load(nameOrPath)
	if err != nil && isSweep(nameOrPath) {
		return nil, fmt.Errorf("%s is a sweep spec: plan it with 'migrasim sweep plan %s'", nameOrPath, nameOrPath)
	}
	return p, err
}

// isSweep reports whether nameOrPath is an embedded sweep or a file with a
// top-level [sweep] table.
func isSweep(nameOrPath string) bool {
	if !scenarios.IsPath(nameOrPath) {
		_, err := scenarios.SweepSource(nameOrPath)
		return err == nil
	}
	b, err := scenarios.ReadFile(nameOrPath, scenarios.MaxFileSize)
	if err != nil {
		return false
	}
	var top map[string]any
	if _, err := scenarios.Decode(nameOrPath, b, &top); err != nil {
		return false
	}
	_, ok := top["sweep"].(map[string]any)
	return ok
}
