package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"migrasim/sim"
)

// Defaults returns the defaults every scenario starts from: sim.DefaultParams
// plus the values derived from the embedded public data. The data are read
// once; the Geography is shared between the returned values and is read-only.
func Defaults() (sim.Params, error) {
	return defaults()
}

var defaults = sync.OnceValues(func() (sim.Params, error) {
	p := sim.DefaultParams()
	if err := applyData(&p); err != nil {
		return p, fmt.Errorf("scenario data: %w", err)
	}
	return p, nil
})

// Load resolves a scenario given by embedded name (e.g. "baseline") or by file
// path (anything that contains a path separator or ends in .toml).
func Load(nameOrPath string) (*sim.Params, error) {
	if strings.ContainsRune(nameOrPath, os.PathSeparator) || strings.HasSuffix(nameOrPath, ".toml") {
		b, err := os.ReadFile(nameOrPath)
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

// Parse resolves scenario text; file names the text in error messages.
func Parse(file string, text []byte) (*sim.Params, error) {
	var raw map[string]any
	if _, err := Decode(file, text, &raw); err != nil {
		return nil, err
	}
	lines := MapText(string(text))
	var problems []Problem
	checkTable(raw, paramsType, "", &problems)
	if len(problems) > 0 {
		return nil, Report(file, lines, problems)
	}
	p, err := Defaults()
	if err != nil {
		return nil, err
	}
	if _, err := toml.Decode(string(text), &p); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	tidy(&p)
	if p.Name == "default" || p.Name == "" {
		p.Name = strings.TrimSuffix(baseName(file), ".toml")
	}
	if err := Check(&p); err != nil {
		var problems []Problem
		for _, e := range unjoin(err) {
			var fe *sim.FieldError
			if errors.As(e, &fe) {
				problems = append(problems, Problem{Key: fe.Key, Msg: fe.Msg})
			} else {
				problems = append(problems, Problem{Msg: e.Error()})
			}
		}
		return nil, Report(file, lines, problems)
	}
	return &p, nil
}

// Check validates resolved parameters: every field within its documented
// range, then the engine's cross-field rules and the department names.
func Check(p *sim.Params) error {
	var problems []Problem
	checkRanges(p, &problems)
	var errs []error
	for _, pr := range problems {
		errs = append(errs, &sim.FieldError{Key: pr.Key, Msg: pr.Msg})
	}
	if err := p.Validate(); err != nil {
		errs = append(errs, unjoin(err)...)
	}
	errs = append(errs, checkDepartments(p)...)
	return errors.Join(errs...)
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
					Key: fmt.Sprintf("policy.aid.%s.departments[%d]", c, i),
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
}

// Decode decodes TOML text into v; a syntax error is reported as file:line.
func Decode(file string, text []byte, v any) (toml.MetaData, error) {
	md, err := toml.Decode(string(text), v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return md, fmt.Errorf("%s:%d: %s", file, pe.Position.Line, pe.Message)
		}
		return md, fmt.Errorf("%s: %w", file, err)
	}
	return md, nil
}
