package main

import (
	"errors"
	"fmt"
	"strings"

	"migrasim/scenarios"
	"migrasim/sim"
)

// loadScenario loads a scenario for run, check or compare. A sweep spec
// given instead fails to load on its [sweep] table; the error then says what
// the file is and which command takes it.
func loadScenario(nameOrPath string) (*sim.Params, error) {
	p, err := scenarios.Load(nameOrPath)
	if err == nil || !isSweep(nameOrPath) {
		return p, err
	}
	msg := fmt.Sprintf("%s is a sweep spec: plan it with 'migrasim sweep plan %s'", nameOrPath, nameOrPath)
	var other []string // problems besides the [sweep] table, which sweep plan would report too
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.Contains(line, ": sweep: unknown key") {
			other = append(other, line)
		}
	}
	if len(other) > 0 {
		msg += "; it also has these problems:\n" + strings.Join(other, "\n")
	}
	return nil, errors.New(msg)
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
