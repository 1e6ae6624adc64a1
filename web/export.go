package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"migrasim/results"
	"migrasim/scenarios"
)

// handleCSV sends the run's series so far as series.csv (results.WriteSeries):
// one scenario per side, replicate 0, the months simulated.
func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request) {
	ss := s.find(w, r)
	if ss == nil {
		return
	}
	series, params := ss.series()
	if len(series) == 0 {
		writeError(w, http.StatusConflict, "the run has no months yet: press Setup")
		return
	}
	var buf bytes.Buffer
	if err := results.WriteSeries(&buf, series); err != nil {
		writeError(w, http.StatusInternalServerError, "writing the CSV: "+err.Error())
		return
	}
	name := params[0].Name
	if len(params) > 1 {
		name += "-vs-" + params[1].Name
	}
	attach(w, "text/csv; charset=utf-8", name+"-series.csv")
	w.Write(buf.Bytes())
}

// handleTOML sends one side's settings as a complete scenario that
// 'migrasim run FILE' accepts (scenarios.Format). ?side=b picks side B.
func (s *Server) handleTOML(w http.ResponseWriter, r *http.Request) {
	ss := s.find(w, r)
	if ss == nil {
		return
	}
	_, params := ss.series()
	side := strings.ToUpper(r.URL.Query().Get("side"))
	i := 0
	switch side {
	case "", "A":
	case "B":
		i = 1
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("side %q: want a or b", side))
		return
	}
	if i >= len(params) {
		writeError(w, http.StatusNotFound, "this run has no side B: switch on side-by-side mode and press Setup")
		return
	}
	p := params[i]
	head := fmt.Sprintf("# Saved from the migrasim teaching page on %s.\n# Run it with: migrasim run %s.toml\n# (the page showed replicate 0 of this scenario)\n\n",
		s.now().UTC().Format(time.DateOnly), p.Name)
	attach(w, "application/toml; charset=utf-8", p.Name+".toml")
	w.Write([]byte(head + scenarios.Format(p)))
}

// attach marks a response as a download named file.
func attach(w http.ResponseWriter, contentType, file string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeName(file)))
}

// safeName keeps letters, digits, dots, dashes and underscores.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
