package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"migrasim/sim"
)

// runAnswer is the answer to a setup: the run and its sides' names.
type runAnswer struct {
	Run   string   `json:"run"`
	Sides []string `json:"sides"`
}

// handleCreate sets up a new run: 201 with its ID, 400 with every problem
// of the settings, or 503 when the server holds as many runs as it may.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	params, ok := s.readParams(w, r)
	if !ok {
		return
	}
	ss, err := s.reserve()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	if err := ss.setup(params); err != nil {
		s.remove(ss.id)
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.logf("run %s: set up %s", ss.id, names(params))
	writeJSON(w, http.StatusCreated, runAnswer{Run: ss.id, Sides: names(params)})
}

// handleSetup sets up an existing run again with new settings.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	ss := s.find(w, r)
	if ss == nil {
		return
	}
	params, ok := s.readParams(w, r)
	if !ok {
		return
	}
	if err := ss.setup(params); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, runAnswer{Run: ss.id, Sides: names(params)})
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	if ss := s.find(w, r); ss != nil {
		writeJSON(w, http.StatusOK, ss.state())
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	if ss := s.find(w, r); ss != nil {
		s.remove(ss.id)
		w.WriteHeader(http.StatusNoContent)
	}
}

// command is the body of POST /api/runs/{id}/control.
type command struct {
	Action string   `json:"action"` // step, go, pause, reset or speed
	Speed  *float64 `json:"speed,omitempty"`
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	ss := s.find(w, r)
	if ss == nil {
		return
	}
	if !wantJSON(w, r) {
		return
	}
	var c command
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		writeError(w, http.StatusBadRequest, "control: "+err.Error())
		return
	}
	if c.Speed != nil {
		if err := ss.setSpeed(*c.Speed); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	switch c.Action {
	case "step":
		ss.step()
	case "go":
		ss.start()
	case "pause":
		ss.pause()
	case "reset":
		if err := ss.reset(); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	case "speed":
		if c.Speed == nil {
			writeError(w, http.StatusBadRequest, `control: action "speed" needs a speed (months per second; 0 = as fast as possible)`)
			return
		}
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("control: unknown action %q: want step, go, pause, reset or speed", c.Action))
		return
	}
	writeJSON(w, http.StatusOK, ss.state())
}

// reserve makes room for a new run, dropping runs that have been idle
// longer than IdleTimeout if the server is full.
func (s *Server) reserve() (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("the server is shutting down")
	}
	if len(s.runs) >= s.cfg.MaxRuns {
		s.expireLocked()
	}
	if len(s.runs) >= s.cfg.MaxRuns {
		return nil, fmt.Errorf("this server already holds %d runs, its limit (migrasim serve --max-runs); close another tab's run, or wait: runs left paused and untouched are dropped after %v",
			len(s.runs), s.cfg.IdleTimeout)
	}
	ss := newSession(s, newID())
	s.runs[ss.id] = ss
	return ss, nil
}

func (s *Server) remove(id string) {
	s.mu.Lock()
	ss := s.runs[id]
	delete(s.runs, id)
	s.mu.Unlock()
	if ss != nil {
		ss.close()
	}
}

// find returns the run the request names, or answers 404.
func (s *Server) find(w http.ResponseWriter, r *http.Request) *session {
	id := r.PathValue("id")
	s.mu.Lock()
	ss := s.runs[id]
	s.mu.Unlock()
	if ss == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no run %q on this server: it ended or was dropped; press Setup to start a new one", id))
		return nil
	}
	ss.touch()
	return ss
}

func writeProblems(w http.ResponseWriter, problems []Problem) {
	msg := "bad settings:"
	for _, p := range problems {
		msg += "\n" + p.String()
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{"error": msg, "problems": problems})
}

func names(params []*sim.Params) []string {
	out := make([]string, len(params))
	for i, p := range params {
		out[i] = p.Name
	}
	return out
}

// readParams reads a request's settings and resolves them into the sides'
// parameters; on failure it has answered the request (400, with every problem).
func (s *Server) readParams(w http.ResponseWriter, r *http.Request) ([]*sim.Params, bool) {
	st, ok := readSettings(w, r)
	if !ok {
		return nil, false
	}
	params, problems := s.resolve(st)
	if len(problems) > 0 {
		writeProblems(w, problems)
		return nil, false
	}
	return params, true
}
