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
	if _, err := decode(file, text, &raw); err != nil {
		return nil, err
	}
	lines := locate(string(text))
	var problems []problem
	checkTable(raw, paramsType, "", &problems)
	if len(problems) > 0 {
		return nil, report(file, lines, problems)
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
		var problems []problem
		for _, e := range unjoin(err) {
			var fe *sim.FieldError
			if errors.As(e, &fe) {
				problems = append(problems, problem{key: fe.Key, msg: fe.Msg})
			} else {
				problems = append(problems, problem{msg: e.Error()})
			}
		}
		return nil, report(file, lines, problems)
	}
	return &p, nil
}

// Check validates resolved parameters: every field within its documented
// range, then the engine's cross-field rules and the department names.
func Check(p *sim.Params) error {
	var problems []problem
	checkRanges(p, &problems)
	var errs []error
	for _, pr := range problems {
		errs = append(errs, &sim.FieldError{Key: pr.key, Msg: pr.msg})
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

// problem is one error at a key path.
type problem struct {
	key string
	msg string
}

// report formats problems as "file:line: key: message", one per line.
func report(file string, lines lineIndex, problems []problem) error {
	sort.SliceStable(problems, func(i, j int) bool { return lines.lineOf(problems[i].key) < lines.lineOf(problems[j].key) })
	var errs []error
	for _, pr := range problems {
		where := file
		if n := lines.lineOf(pr.key); n > 0 {
			where = fmt.Sprintf("%s:%d", file, n)
		}
		if pr.key == "" {
			errs = append(errs, fmt.Errorf("%s: %s", where, pr.msg))
		} else {
			errs = append(errs, fmt.Errorf("%s: %s: %s", where, pr.key, pr.msg))
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

// decode decodes TOML text into v; a syntax error is reported as file:line.
func decode(file string, text []byte, v any) (toml.MetaData, error) {
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
