package web

import (
	"strings"
	"testing"

	"migrasim/scenarios"
)

// TestControlsCoverKeys checks that the controls are generated from the
// scenario keys: every featured control is a key (or a push factor), sliders
// stay within their key's range, and every key that takes one value has
// exactly one control.
func TestControlsCoverKeys(t *testing.T) {
	keys, err := scenarios.Keys()
	if err != nil {
		t.Fatal(err)
	}
	list, err := buildControls(keys, DefaultMaxScale)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Control{}
	for _, c := range list {
		if _, dup := byID[c.ID]; dup {
			t.Errorf("control %s appears twice", c.ID)
		}
		byID[c.ID] = c
	}
	for _, k := range keys {
		_, ok := byID[k.Path]
		if settable(k) != ok {
			t.Errorf("key %s (%s): has control = %v, want %v", k.Path, k.Type, ok, settable(k))
		}
	}
	for _, f := range featured {
		c := byID[f.id]
		if f.parent != "" && byID[f.parent].Kind != "policy" {
			t.Errorf("control %s: parent %s is not a policy switch", f.id, f.parent)
		}
		if c.Kind != "slider" || isPush(c.ID) {
			continue
		}
		for _, k := range keys {
			if k.Path != c.ID {
				continue
			}
			lo, hi := *c.Min, *c.Max
			var klo, khi float64
			if err := parseRange(k, &klo, &khi); err != nil {
				t.Fatal(err)
			}
			if lo < klo || hi > khi {
				t.Errorf("slider %s: range [%g, %g] is outside the key's [%g, %g]", c.ID, lo, hi, klo, khi)
			}
		}
	}
	if c := byID["scale"]; *c.Max != DefaultMaxScale {
		t.Errorf("scale slider max = %g, want the server's limit %g", *c.Max, DefaultMaxScale)
	}
	for _, id := range sharedKeys {
		if !byID[id].Shared {
			t.Errorf("control %s: not marked shared", id)
		}
	}
}

func parseRange(k scenarios.Key, lo, hi *float64) error {
	var c Control
	if err := fromKey(&c, k); err != nil {
		return err
	}
	*lo, *hi = *c.Min, *c.Max
	return nil
}

func TestControlsRejectUnknownFeature(t *testing.T) {
	keys, err := scenarios.Keys()
	if err != nil {
		t.Fatal(err)
	}
	var without []scenarios.Key
	for _, k := range keys {
		if k.Path != "policy.cam.close" {
			without = append(without, k)
		}
	}
	_, err = buildControls(without, DefaultMaxScale)
	if err == nil || !strings.Contains(err.Error(), "policy.cam.close") {
		t.Errorf("error = %v, want one naming policy.cam.close", err)
	}
}
