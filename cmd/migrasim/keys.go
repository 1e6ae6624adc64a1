package main

import (
	"context"
	"fmt"
	"strings"

	"migrasim/scenarios"
)

func init() {
	register(command{name: "keys", usage: "[--markdown]",
		summary: "list every scenario key with its type, unit, range, default and meaning", run: runKeys})
}

func runKeys(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("keys"), e, "")
	md := fs.Bool("markdown", false, "print a Markdown table (the README's)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("keys: takes no arguments, got %v", pos)
	}
	keys, err := scenarios.Keys()
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, formatKeys(keys, *md))
	return nil
}

func formatKeys(keys []scenarios.Key, md bool) string {
	var b strings.Builder
	if md {
		b.WriteString("| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n")
	} else {
		fmt.Fprintf(&b, "%-44s %-12s %-40s %-18s %-24s %s\n", "KEY", "TYPE", "UNIT", "RANGE", "DEFAULT", "MEANING")
	}
	for _, k := range keys {
		rng := ""
		if k.Min != "" {
			rng = k.Min + " to " + k.Max
		}
		if md {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", k.Path, k.Type, k.Unit, rng, code(k.Default), strings.ReplaceAll(k.Meaning, "|", "\\|"))
		} else {
			fmt.Fprintf(&b, "%-44s %-12s %-40s %-18s %-24s %s\n", k.Path, k.Type, k.Unit, rng, k.Default, k.Meaning)
		}
	}
	return b.String()
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
