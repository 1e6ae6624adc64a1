package web

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Defaults of Config.
const (
	DefaultMaxScale      = 0.05
	DefaultMaxRuns       = 6
	DefaultIdleTimeout   = 3 * time.Minute
	DefaultOrphanTimeout = 30 * time.Second
	DefaultReadTimeout   = 30 * time.Second
	// DefaultMaxMonths is the months a run at the largest number of
	// households may simulate: the page's longest run.
	DefaultMaxMonths = 240
)

// maxBody is the largest request body the server reads.
const maxBody = 1 << 20

// Config sets a Server's limits. A zero field takes its default.
type Config struct {
	// MaxScale is the largest population scale (fraction of households) a run
	// may use, in (0, 1]; default DefaultMaxScale. A 0.05 run steps a month in
	// a few milliseconds on a laptop.
	MaxScale float64
	// MaxRuns is how many runs the server holds at once (each browser tab that
	// pressed Setup holds one); default DefaultMaxRuns.
	MaxRuns int
	// MaxHouseholds is the most households one side of a run may simulate:
	// the sum over countries of population × scale / household size, so
	// that edited populations and household sizes cannot raise the cost
	// behind the scale's back. Default: the households of the default
	// populations at MaxScale, and a quarter more.
	MaxHouseholds int
	// MaxHouseholdMonths is the most households × months (warm-up
	// included) one side of a run may simulate; default MaxHouseholds ×
	// (DefaultMaxMonths and the default warm-up).
	MaxHouseholdMonths int
	// Workers is the number of goroutines that step simulations, shared by all
	// runs, from 1 to scenarios.MaxWorkers; default GOMAXPROCS. It never
	// changes results.
	Workers int
	// IdleTimeout is how long a run is kept that is not going and that no
	// request has touched, even if pages still show it: such runs are
	// dropped every minute, and when a new run needs the place; default
	// DefaultIdleTimeout.
	IdleTimeout time.Duration
	// OrphanTimeout is how long a run goes on with no page watching it and
	// no request touching it (its client has gone) before it pauses;
	// default DefaultOrphanTimeout.
	OrphanTimeout time.Duration
	// ReadTimeout is how long Serve waits for a request's headers and body;
	// default DefaultReadTimeout.
	ReadTimeout time.Duration
	// LocalOnly makes the server answer only requests addressed to a loopback
	// name (localhost, 127.0.0.1, [::1]), which stops web pages elsewhere from
	// reaching it through DNS rebinding. Set it when listening on loopback.
	LocalOnly bool
	// Logf, if set, logs runs starting and failing.
	Logf func(format string, args ...any)
}

// Server is the teaching page's HTTP handler. Make one with New and stop its
// runs with Close.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	pool     *sim.Pool
	list     []Control
	controls map[string]*Control
	infos    []scenarios.Info

	mu     sync.Mutex
	runs   map[string]*session
	closed bool
	done   chan struct{} // closed by Close: ends event streams
	now    func() time.Time
}

//go:embed static
var static embed.FS

// New checks cfg and builds the server's controls from the scenario keys.
func New(cfg Config) (*Server, error) {
	if cfg.MaxScale == 0 {
		cfg.MaxScale = DefaultMaxScale
	}
	if cfg.MaxRuns == 0 {
		cfg.MaxRuns = DefaultMaxRuns
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.OrphanTimeout == 0 {
		cfg.OrphanTimeout = DefaultOrphanTimeout
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	switch {
	case !(cfg.MaxScale > 0 && cfg.MaxScale <= 1):
		return nil, fmt.Errorf("web: max scale %g: want more than 0 and at most 1", cfg.MaxScale)
	case cfg.MaxRuns < 1 || cfg.MaxRuns > maxRunsLimit:
		return nil, fmt.Errorf("web: max runs %d: want 1 to %d", cfg.MaxRuns, maxRunsLimit)
	case cfg.Workers < 1 || cfg.Workers > scenarios.MaxWorkers():
		return nil, fmt.Errorf("web: workers %d: want 1 to %d", cfg.Workers, scenarios.MaxWorkers())
	case cfg.MaxHouseholds < 0 || cfg.MaxHouseholdMonths < 0:
		return nil, fmt.Errorf("web: max households %d and household-months %d: want 0 (the default) or more", cfg.MaxHouseholds, cfg.MaxHouseholdMonths)
	case cfg.IdleTimeout < 0 || cfg.OrphanTimeout < 0 || cfg.ReadTimeout < 0:
		return nil, fmt.Errorf("web: timeouts cannot be negative")
	}
	if err := cfg.householdLimits(); err != nil {
		return nil, err
	}
	keys, err := scenarios.Keys()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	list, err := buildControls(keys, cfg.MaxScale)
	if err != nil {
		return nil, err
	}
	all, err := scenarios.List()
	if err != nil {
		return nil, fmt.Errorf("web: scenario library: %w", err)
	}
	// The page steps one world live; a scenario that branches from history
	// runs two (its reference and itself), so the page offers the others.
	var infos []scenarios.Info
	for _, in := range all {
		if p, err := scenarios.Load(in.Name); err == nil && p.ReferenceParams == nil {
			infos = append(infos, in)
		}
	}
	s := &Server{cfg: cfg, list: list, controls: map[string]*Control{}, infos: infos,
		runs: map[string]*session{}, done: make(chan struct{}), now: time.Now}
	for i := range s.list {
		s.controls[s.list[i].ID] = &s.list[i]
	}
	s.pool = sim.NewPool(cfg.Workers)
	s.routes()
	go s.janitor()
	return s, nil
}

// maxRunsLimit bounds Config.MaxRuns: each run holds its worlds in memory.
const maxRunsLimit = 1000

// householdLimits fills in the default household limits: those of the
// default populations at MaxScale, and a quarter more.
func (cfg *Config) householdLimits() error {
	if cfg.MaxHouseholds > 0 && cfg.MaxHouseholdMonths > 0 {
		return nil
	}
	p, err := scenarios.Defaults()
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	p.Scale = cfg.MaxScale
	if cfg.MaxHouseholds == 0 {
		cfg.MaxHouseholds = int(math.Ceil(1.25 * households(&p)))
	}
	if cfg.MaxHouseholdMonths == 0 {
		p.Months = DefaultMaxMonths
		cfg.MaxHouseholdMonths = cfg.MaxHouseholds * p.Steps()
	}
	return nil
}

// households is how many households a run of p simulates: each country's
// population × scale / household size.
func households(p *sim.Params) float64 {
	var n float64
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		cp := p.Country.Of(c)
		n += cp.Population * p.Scale / cp.HouseholdSize
	}
	return n
}

// janitor drops idle runs every minute (or more often for short idle
// timeouts) until the server closes.
func (s *Server) janitor() {
	tick := time.NewTicker(min(time.Minute, max(s.cfg.IdleTimeout/4, time.Second)))
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.expire()
		case <-s.done:
			return
		}
	}
}

// expire drops the runs that have been idle longer than IdleTimeout.
func (s *Server) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
}

func (s *Server) expireLocked() {
	cutoff := s.now().Add(-s.cfg.IdleTimeout)
	for id, ss := range s.runs {
		if ss.idle(cutoff) {
			s.logf("run %s: dropped after %v idle", id, s.cfg.IdleTimeout)
			delete(s.runs, id)
			go ss.close()
		}
	}
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	sub, _ := fs.Sub(static, "static")
	s.mux.Handle("GET /", http.FileServerFS(sub))
	s.mux.HandleFunc("GET /api/controls", s.handleControls)
	s.mux.HandleFunc("GET /api/scenario", s.handleScenario)
	s.mux.HandleFunc("POST /api/check", s.handleCheck)
	s.mux.HandleFunc("POST /api/runs", s.handleCreate)
	s.mux.HandleFunc("GET /api/runs/{id}", s.handleState)
	s.mux.HandleFunc("PUT /api/runs/{id}", s.handleSetup)
	s.mux.HandleFunc("DELETE /api/runs/{id}", s.handleDelete)
	s.mux.HandleFunc("POST /api/runs/{id}/control", s.handleControl)
	s.mux.HandleFunc("GET /api/runs/{id}/events", s.handleEvents)
	s.mux.HandleFunc("GET /api/runs/{id}/series.csv", s.handleCSV)
	s.mux.HandleFunc("GET /api/runs/{id}/scenario.toml", s.handleTOML)
}

// ServeHTTP answers the page and its API. Requests that change state
// (POST, PUT, DELETE) from another site's page are refused: the browser says
// where they come from (Sec-Fetch-Site, Origin), and every body must be
// JSON, which a form on another site cannot send without asking.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LocalOnly && !loopbackHost(r.Host) {
		http.Error(w, "this server answers only to localhost: open it as http://127.0.0.1 or http://localhost", http.StatusForbidden)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
	if err := crossOrigin.Check(r); err != nil {
		writeError(w, http.StatusForbidden, "this server takes changes only from its own page: "+err.Error())
		return
	}
	s.mux.ServeHTTP(w, r)
}

// crossOrigin refuses state-changing requests from other sites.
var crossOrigin = http.NewCrossOriginProtection()

// wantJSON answers 415 unless the request's body is JSON.
func wantJSON(w http.ResponseWriter, r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		// A form on another site can post text/plain without asking; it cannot post JSON.
		writeError(w, http.StatusUnsupportedMediaType, "send the request as application/json")
		return false
	}
	return true
}

// Close stops every run and ends the event streams; the handler answers
// nothing useful afterwards. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	runs := s.runs
	s.runs = map[string]*session{}
	s.mu.Unlock()
	for _, r := range runs {
		r.close()
	}
	s.pool.Close()
}

// handleCheck validates settings without running them: the page calls it as
// controls change, to show a bad value at once.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	st, ok := readSettings(w, r)
	if !ok {
		return
	}
	_, problems := s.resolve(st)
	writeJSON(w, http.StatusOK, map[string]any{"ok": len(problems) == 0, "problems": nonNil(problems)})
}

// readSettings decodes a request's Settings, answering 400 when it cannot.
func readSettings(w http.ResponseWriter, r *http.Request) (*Settings, bool) {
	if !wantJSON(w, r) {
		return nil, false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var st Settings
	if err := dec.Decode(&st); err != nil {
		writeError(w, http.StatusBadRequest, "settings: "+err.Error())
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "settings: want one JSON object")
		return nil, false
	}
	return &st, true
}

func (s *Server) isScenario(name string) bool {
	for _, in := range s.infos {
		if in.Name == name {
			return true
		}
	}
	return false
}

func (s *Server) scenarioNames() []string {
	var out []string
	for _, in := range s.infos {
		out = append(out, in.Name)
	}
	return out
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers with {"error": msg}, which the page shows as it is.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func nonNil(p []Problem) []Problem {
	if p == nil {
		return []Problem{}
	}
	return p
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newID returns a random run ID. Runs are not secrets, but IDs that cannot
// be guessed keep one tab from steering another's run by accident.
func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
