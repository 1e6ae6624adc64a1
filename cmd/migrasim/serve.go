package main

import (
	"context"
	"fmt"
	"net"

	"migrasim/scenarios"
	"migrasim/web"
)

func init() {
	register(command{
		name:    "serve",
		usage:   "[--addr HOST:PORT] [--max-scale F] [--max-runs N] [--workers N]",
		summary: "serve the teaching page: sliders, live charts and a map in the browser",
		run:     runServe,
	})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("serve"), e, details("serve"))
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	maxScale := fs.Float64("max-scale", web.DefaultMaxScale, "largest population scale a run may use, up to 1")
	maxRuns := fs.Int("max-runs", web.DefaultMaxRuns, "runs the server holds at once (one per browser tab)")
	workers := fs.Int("workers", 0, "goroutines stepping simulations (default: all cores); never changes results")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("serve: takes no arguments, got %v (did you mean --addr %s?)", pos, pos[0])
	}
	switch {
	case !(*maxScale > 0 && *maxScale <= 1):
		return fmt.Errorf("serve: --max-scale %g: want more than 0 and at most 1", *maxScale)
	case *maxRuns < 1:
		return fmt.Errorf("serve: --max-runs %d: want at least 1", *maxRuns)
	}
	if err := scenarios.CheckWorkers("--workers", *workers); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w (is another server on that port? try --addr 127.0.0.1:8081)", err)
	}
	cfg := web.Config{MaxScale: *maxScale, MaxRuns: *maxRuns, Workers: *workers,
		Logf: func(format string, args ...any) { fmt.Fprintf(e.stderr, "serve: "+format+"\n", args...) }}
	err = web.Serve(ctx, ln, cfg, func(url string, local bool) {
		fmt.Fprintf(e.stdout, "migrasim: teaching page at %s (Ctrl-C to stop)\n", url)
		if !local {
			fmt.Fprintf(e.stderr, "serve: listening on %s, not only on localhost: anyone who can reach this machine can use the page\n", ln.Addr())
		}
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
