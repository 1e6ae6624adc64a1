package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"migrasim/sim"
)

// DefaultSeed is the seed of a scenario that sets none. It is the library
// scenarios' seed, so that a scenario written by hand is paired with them
// (common random numbers) unless it says otherwise.
const DefaultSeed = 20120101

// Defaults returns the defaults every scenario starts from: sim.DefaultParams
// with DefaultSeed, plus the values derived from the embedded public data.
// The data are read once; the Geography is shared between the returned
// values and is read-only.
func Defaults() (sim.Params, error) {
	return defaults()
}

var defaults = sync.OnceValues(func() (sim.Params, error) {
	p := sim.DefaultParams()
	p.Seed = DefaultSeed
	if err := applyData(&p); err != nil {
		return p, fmt.Errorf("scenario data: %w", err)
	}
	return p, nil
})

// Load resolves a scenario given by embedded name (e.g. "baseline") or by file
// path (anything that contains a path separator or ends in .toml).
func Load(nameOrPath string) (*sim.Params, error) {
	if IsPath(nameOrPath) {
		b, err := ReadFile(nameOrPath, MaxFileSize)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", nameOrPath, err)
		}
		return Parse(nameOrPath, b)
	}
	b, err := Source(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("scenario %q: no such embedded scenario (see 'migrasim list'), and not a file path", nameOrPath)
	}
	if err != nil {
		return nil, err
	}
	return Parse(nameOrPath+".toml", b)
}

// loadReference loads the scenario named as file's reference: an embedded
// name, or a path, relative to file's folder when file is a path.
func loadReference(file, name string) (*sim.Params, error) {
	if !IsPath(name) {
		b, err := Source(name)
		if err != nil {
			return nil, fmt.Errorf("%q: no such embedded scenario (see 'migrasim list'), and not a file path", name)
		}
		return parse(name+".toml", b, true)
	}
	path := name
	if !filepath.IsAbs(path) && IsPath(file) {
		if near := filepath.Join(filepath.Dir(file), name); fileExists(near) {
			path = near
		}
	}
	b, err := ReadFile(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	return parse(path, b, true)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// IsPath reports whether a scenario, sweep or spec argument names a file
// (it contains a path separator or ends in .toml) rather than an embedded one.
func IsPath(nameOrPath string) bool {
	return strings.ContainsRune(nameOrPath, os.PathSeparator) || strings.ContainsRune(nameOrPath, '/') || strings.HasSuffix(nameOrPath, ".toml")
}

// Parse resolves scenario text; file names the text in error messages.
// Every problem comes at once: a value of the wrong type does not hide the
// range problems of the others.
func Parse(file string, text []byte) (*sim.Params, error) {
	return parse(file, text, false)
}

// parse is Parse; asReference says the text is another scenario's
// reference, which may not branch itself.
func parse(file string, text []byte, asReference bool) (*sim.Params, error) {
	var raw map[string]any
	if _, err := Decode(file, text, &raw); err != nil {
		return nil, err
	}
	lines := MapText(string(text))
	var problems []Problem
	checkTable(raw, paramsType, "", &problems)
	p, err := Defaults()
	if err != nil {
		return nil, err
	}
	// A branch starts from its reference's keys, not the defaults.
	var ref *sim.Params
	if name, ok := raw["reference"].(string); ok && name != "" {
		if asReference {
			return nil, Report(file, lines, []Problem{{Key: "reference", Msg: "a reference cannot branch from another scenario itself"}})
		}
		if ref, err = loadReference(file, name); err != nil {
			return nil, Report(file, lines, []Problem{{Key: "reference", Msg: err.Error()}})
		}
		def := p
		p = *ref
		p.Name, p.Description = "", ""
		// A lever the branch writes is its own: its windows replace the
		// reference's instead of changing them key by key.
		resetWritten(raw, &p, &def)
	}
	switch {
	case len(problems) == 0 && !hasWindows(raw):
		if _, err := toml.Decode(string(text), &p); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	case len(problems) == 0:
		if err := decodeRaw(raw, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	case !decodeValid(raw, problems, &p):
		return nil, Report(file, lines, problems)
	}
	tidy(&p)
	p.ReferenceParams = ref
	if p.Name == "default" || p.Name == "" {
		p.Name = SafeName(strings.TrimSuffix(baseName(file), ".toml"))
	}
	reported := problems
	for _, pr := range check(&p) {
		if !covered(pr.Key, reported) {
			problems = append(problems, pr)
		}
	}
	if len(problems) > 0 {
		return nil, Report(file, lines, problems)
	}
	return &p, nil
}

// decodeValid decodes over p the values of raw that have no problem, so
// that the others can be checked too; it reports whether that worked.
func decodeValid(raw map[string]any, problems []Problem, p *sim.Params) bool {
	bad := map[string]bool{}
	for _, pr := range problems {
		bad[pr.Key] = true
	}
	prune(raw, "", bad)
	return decodeRaw(raw, p) == nil
}

// prune deletes from m (a decoded table at path prefix) the values at the
// key paths of bad, and arrays with a bad element.
func prune(m map[string]any, prefix string, bad map[string]bool) {
	for k, v := range m {
		path := joinKey(prefix, k)
		if bad[path] {
			delete(m, k)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			prune(x, path, bad)
		case []map[string]any:
			for i, e := range x {
				prune(e, fmt.Sprintf("%s[%d]", path, i), bad)
			}
		case []any:
			for i, e := range x {
				el := fmt.Sprintf("%s[%d]", path, i)
				if e, ok := e.(map[string]any); ok {
					prune(e, el, bad)
				} else if bad[el] {
					delete(m, k)
					break
				}
			}
		}
	}
}

// covered reports whether key is, or is inside, a key with a problem
// already, or beside one in its table: the engine's cross-field rules are
// not worth reporting for a table that holds a bad value (an out-of-range
// population would otherwise make tie_share look wrong too).
func covered(key string, problems []Problem) bool {
	for _, pr := range problems {
		if key == pr.Key || strings.HasPrefix(key, pr.Key+".") || strings.HasPrefix(key, pr.Key+"[") {
			return true
		}
	}
	return false
}

// Check validates resolved parameters: every field within its documented
// range, the rules of rules.go, then the engine's cross-field rules and the
// department names.
func Check(p *sim.Params) error {
	var errs []error
	for _, pr := range check(p) {
		errs = append(errs, &sim.FieldError{Key: pr.Key, Msg: pr.Msg})
	}
	return errors.Join(errs...)
}

// check lists the problems of resolved parameters. The engine's cross-field
// rules are reported only for tables whose own values are in range.
func check(p *sim.Params) []Problem {
	var problems []Problem
	checkRanges(p, &problems)
	checkRules(p, &problems)
	tables := make([]Problem, len(problems))
	for i, pr := range problems {
		tables[i] = Problem{Key: tableOf(pr.Key)}
	}
	var engine []error
	if err := p.Validate(); err != nil {
		engine = unjoin(err)
	}
	engine = append(engine, checkDepartments(p)...)
	for _, e := range engine {
		var fe *sim.FieldError
		switch {
		case !errors.As(e, &fe):
			problems = append(problems, Problem{Msg: e.Error()})
		case !covered(fe.Key, problems) && !covered(fe.Key, tables):
			problems = append(problems, Problem{Key: fe.Key, Msg: fe.Msg})
		}
	}
	return problems
}

// tableOf is the table a key path is in ("country.SV" for
// "country.SV.population"), or the key itself at the top.
func tableOf(key string) string {
	if i := strings.LastIndexAny(key, ".["); i > 0 {
		return key[:i]
	}
	return key
}

// checkDepartments checks that aid packages name departments that exist.
func checkDepartments(p *sim.Params) []error {
	var errs []error
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for i, d := range p.Policy.Aid.Of(c).Departments {
			found := false
			for _, r := range p.Geography.Regions {
				found = found || (r.Country == c && r.Name == d)
			}
			if !found {
				errs = append(errs, &sim.FieldError{
					Key: fmt.Sprintf("%s.%s.departments[%d]", sim.WindowKey("policy.aid", 0, 1+len(p.Policy.Aid.More)), c, i),
					Msg: fmt.Sprintf("%q is not a department of %s (%s)", d, c.Name(), strings.Join(departments(p, c), ", "))})
			}
		}
	}
	return errs
}

func departments(p *sim.Params, c sim.Country) []string {
	var out []string
	for _, r := range p.Geography.Regions {
		if r.Country == c {
			out = append(out, r.Name)
		}
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func baseName(file string) string {
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		return file[i+1:]
	}
	return file
}

// Problem is one error at a key path.
type Problem struct {
	Key string // dotted key path, "" for the file as a whole
	Msg string
}

// Report formats problems as "file:line: key: message", one per line, in
// line order, with the lines from lines (which may be nil).
func Report(file string, lines *TextMap, problems []Problem) error {
	sort.SliceStable(problems, func(i, j int) bool { return lines.Line(problems[i].Key) < lines.Line(problems[j].Key) })
	var errs []error
	for _, pr := range problems {
		where := file
		if n := lines.Line(pr.Key); n > 0 {
			where = fmt.Sprintf("%s:%d", file, n)
		}
		if pr.Key == "" {
			errs = append(errs, fmt.Errorf("%s: %s", where, pr.Msg))
		} else {
			errs = append(errs, fmt.Errorf("%s: %s: %s", where, pr.Key, pr.Msg))
		}
	}
	return errors.Join(errs...)
}

// tidy makes empty lists nil, so that equal scenarios compare equal however
// they were written.
func tidy(p *sim.Params) {
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		if pk := p.Policy.Aid.Of(c); len(pk.Departments) == 0 {
			pk.Departments = nil
		}
	}
	if len(p.Shocks) == 0 {
		p.Shocks = nil
	}
	tidyWindows(p)
}

// Decode decodes TOML text into v, after checking it against the limits of
// CheckText; a syntax error is reported as file:line, with the key when the
// decoder names one on that line.
func Decode(file string, text []byte, v any) (toml.MetaData, error) {
	if err := CheckText(file, text); err != nil {
		return toml.MetaData{}, err
	}
	md, err := toml.Decode(string(text), v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			if k := pe.LastKey; k != "" && MapText(string(text)).Line(k) == pe.Position.Line {
				return md, fmt.Errorf("%s:%d: %s: %s", file, pe.Position.Line, k, pe.Message)
			}
			return md, fmt.Errorf("%s:%d: %s", file, pe.Position.Line, pe.Message)
		}
		return md, fmt.Errorf("%s: %w", file, err)
	}
	return md, nil
}
