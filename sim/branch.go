package sim

import (
	"fmt"
	"reflect"
)

// Branching from a reference. A scenario may name a reference scenario and
// a branch month (reference = "historical", branch = "2017-10"): its world
// is the reference's world, driven by the reference's parameters, up to the
// month before the branch, and by its own from the branch on. The scenarios
// package resolves the reference (ReferenceParams) and builds the
// scenario's own parameters on top of it, so that a branch is history
// changed, from the branch month, by the keys the scenario writes. The
// reference is also what the branch measures its deportee feedback against:
// the world as it would have gone on (RunPaired shares it).

// referenceRun returns the reference with p's run settings: the world p is
// before its branch.
func (p *Params) referenceRun() *Params {
	q := *p.ReferenceParams
	q.Start, q.Months, q.Scale, q.Replicates, q.Seed = p.Start, p.Months, p.Scale, p.Replicates, p.Seed
	return &q
}

// validateBranch checks a branched scenario: a branch month, a reference that is its own status quo and branches from nothing, and the
// same world structure on both sides of the branch.
func (p *Params) validateBranch() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.ReferenceParams == nil && (p.Reference != "" || p.Branch.IsSet()):
		if p.Reference == "" {
			bad("reference", "missing: a branch month needs the scenario it branches from")
		} else {
			bad("reference", "%q is not resolved (the scenario loader resolves it)", p.Reference)
		}
		return errs
	case p.ReferenceParams == nil:
		return nil
	}
	ref := p.referenceRun()
	if !p.Branch.IsSet() {
		bad("branch", "missing: the month from which %s's own parameters apply", p.Name)
	}
	if ref.ReferenceParams != nil {
		bad("reference", "%s branches from %s itself: a reference cannot branch", p.Reference, ref.Reference)
	}
	if ref.needsTwin() {
		bad("reference", "%s measures its feedback against a status-quo twin: a reference must be its own status quo (feedback.status_quo_twin = false)", p.Reference)
	}
	if !equalValues(reflectOf(&ref.Country), reflectOf(&p.Country)) || !equalValues(reflectOf(&ref.Origin), reflectOf(&p.Origin)) ||
		ref.Feedback.LagMonths != p.Feedback.LagMonths || !equalValues(reflectOf(&ref.Geography), reflectOf(&p.Geography)) {
		bad("reference", "the country, origin and geography keys and feedback.lag_months must be those of %s: a branch changes policies, shocks and behaviour, not how the world was built", p.Reference)
	}
	if err := ref.Validate(); err != nil {
		bad("reference", "%s: %v", p.Reference, err)
	}
	return errs
}

func reflectOf[T any](x *T) reflect.Value { return reflect.ValueOf(x).Elem() }
