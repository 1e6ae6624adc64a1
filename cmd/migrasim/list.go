package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"migrasim/scenarios"
)

func init() {
	register(command{name: "list", usage: "", summary: "list the embedded scenarios with their descriptions", run: runList})
}

func runList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("list"), e, "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("list: takes no arguments, got %v", pos)
	}
	infos, err := scenarios.List()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%s\n", in.Name, in.Description)
	}
	return tw.Flush()
}
