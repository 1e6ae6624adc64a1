package scenarios

import (
	"fmt"
	"reflect"

	"migrasim/sim"
)

var (
	windowType = reflect.TypeOf(sim.Window{})
	policyType = reflect.TypeOf(sim.PolicyParams{})
)

// Warnings lists the policy levers of p that never take effect within the
// run, each as "KEY: why": a lever whose table differs from the defaults but
// whose window has no from (or, for a dated lever, which sets none of its
// dates), and a lever whose from (or date) is after the run's last month.
// Such a scenario is valid, but a comparison against it shows no difference
// that the user did not mean; run, compare and check print these.
func Warnings(p *sim.Params) []string {
	last := p.Start.Add(p.Months - 1)
	def := sim.DefaultPolicy()
	have, want := reflect.ValueOf(&p.Policy).Elem(), reflect.ValueOf(&def).Elem()
	var out []string
	for _, f := range fieldsOf(policyType) {
		key := "policy." + f.name
		lever, base := have.FieldByIndex(f.idx), want.FieldByIndex(f.idx)
		if lever.Kind() != reflect.Struct {
			continue
		}
		if _, ok := window(lever); ok {
			ws := []reflect.Value{lever}
			if windowed(lever.Type()) {
				ws = windowsOf(lever)
			}
			for i, wv := range ws {
				w, _ := window(wv)
				k := sim.WindowKey(key, i, len(ws))
				switch {
				case !w.From.IsSet() && (len(ws) > 1 || !reflect.DeepEqual(lever.Interface(), base.Interface())):
					out = append(out, fmt.Sprintf("%s: set, but without from it never acts (add from = \"YYYY-MM\")", k))
				case w.From.IsSet() && w.From > last:
					out = append(out, fmt.Sprintf("%s: from = %s is after the run's last month (%s), so it never acts within the run", k, w.From, last))
				}
			}
			continue
		}
		out = append(out, datedWarnings(key, lever, base, last)...)
	}
	return out
}

// window returns the policy window a lever embeds, if it has one.
func window(lever reflect.Value) (sim.Window, bool) {
	for i := range lever.NumField() {
		if f := lever.Type().Field(i); f.Anonymous && f.Type == windowType {
			return lever.Field(i).Interface().(sim.Window), true
		}
	}
	return sim.Window{}, false
}

// datedWarnings checks a lever that acts on dates (CAM, DACA, TPS) rather
// than a window: a date set after the last month never comes, and a lever
// changed from the defaults with none of its dates set never acts.
func datedWarnings(key string, lever, base reflect.Value, last sim.Month) []string {
	var out []string
	var dates []string
	anySet, changed := false, false
	for _, f := range fieldsOf(lever.Type()) {
		v := lever.FieldByIndex(f.idx)
		if f.sf.Type != monthType {
			changed = changed || !reflect.DeepEqual(v.Interface(), base.FieldByIndex(f.idx).Interface())
			continue
		}
		dates = append(dates, f.name)
		m := sim.Month(v.Int())
		if !m.IsSet() {
			continue
		}
		anySet = true
		if m > last && v.Int() != base.FieldByIndex(f.idx).Int() { // a default date (CAM's opening) is no one's mistake
			out = append(out, fmt.Sprintf("%s.%s: %s is after the run's last month (%s), so it never comes within the run", key, f.name, m, last))
		}
	}
	if changed && !anySet && len(dates) > 0 { // a table without dates (aid_effect) is no lever of its own
		out = append(out, fmt.Sprintf("%s: set, but with none of its dates (%s) it never acts", key, joinOr(dates)))
	}
	return out
}

// joinOr is "a", "a or b", "a, b or c".
func joinOr(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " or " + s[len(s)-1]
}
