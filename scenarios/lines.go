package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// TextMap says, for TOML text, which key path or table each line belongs to
// and on which line each key and each element of an array value starts.
// BurntSushi/toml reports lines for syntax errors only, so this is how every
// reader of the project's TOML (scenarios, sweep specs, calibration specs)
// reports "file:line: key: message", including for values written over many
// lines ("sweep.cases.values[2]"), and how a sweep spec hands its scenario
// part to Parse with every line where it was. It is the project's one TOML
// line scanner.
type TextMap struct {
	owner []string  // owner[n-1]: the key path or table that line n belongs to ("" for none)
	lines lineIndex // key paths, tables and array elements ("k[3]") to their first line
}

// lineIndex maps key paths ("policy.cam.close", "shock[1].path") to the line
// that sets them.
type lineIndex map[string]int

// Line returns the line of key, or of its nearest parent that has one; 0 if
// none (or m is nil).
func (m *TextMap) Line(key string) int {
	if m == nil {
		return 0
	}
	for key != "" {
		if n, ok := m.lines[key]; ok {
			return n
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			return 0
		}
		key = key[:i]
	}
	return 0
}

// scanState is the lexical state carried from one line to the next.
type scanState struct {
	depth    int    // nesting of [ and { in the current value
	str      byte   // open string: '"', '\'', 'B' ("""), 'L' (''') or 0
	array    string // key path of the array value being read, "" if none
	elem     int    // index of the current element of that array
	wantElem bool   // the next value character starts element elem
}

// MapText scans TOML text. It knows headers, dotted and quoted keys, strings
// (all four kinds), comments, and nesting; it is not a validating parser:
// the TOML decoder has already accepted the text.
func MapText(text string) *TextMap {
	src := strings.Split(text, "\n")
	m := &TextMap{owner: make([]string, len(src)), lines: lineIndex{}}
	arrays := map[string]int{}
	table, owner := "", ""
	var st scanState
	for i, line := range src {
		n := i + 1
		if st.depth > 0 || st.str == 'B' || st.str == 'L' {
			m.owner[i] = owner
			st.scan(line, n, m.lines)
			continue
		}
		s := strings.TrimSpace(line)
		switch {
		case s == "" || s[0] == '#':
			m.owner[i] = table
		case strings.HasPrefix(s, "[["):
			name := normKey(strings.SplitN(s[2:], "]]", 2)[0])
			k := arrays[name]
			arrays[name] = k + 1
			table = fmt.Sprintf("%s[%d]", name, k)
			m.owner[i] = table
			m.lines.set(table, n)
		case s[0] == '[':
			table = normKey(strings.SplitN(s[1:], "]", 2)[0])
			m.owner[i] = table
			m.lines.set(table, n)
		default:
			eq := keyEnd(s)
			if eq < 0 {
				m.owner[i] = table
				continue
			}
			owner = joinKey(table, normKey(s[:eq]))
			m.owner[i] = owner
			m.lines.set(owner, n)
			st = scanState{}
			st.start(s[eq+1:], owner, n, m.lines)
		}
	}
	return m
}

func (idx lineIndex) set(key string, n int) {
	if _, ok := idx[key]; !ok {
		idx[key] = n
	}
}

// keyEnd returns the index of the = that ends the key of line s, or -1.
func keyEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		}
	}
	return -1
}

// normKey turns a written key (bare, dotted, quoted) into a dotted path.
func normKey(k string) string {
	var parts []string
	var cur strings.Builder
	var quote byte
	flush := func() {
		p := strings.TrimSpace(cur.String())
		if u, err := strconv.Unquote(p); err == nil && strings.HasPrefix(p, `"`) {
			p = u
		} else if len(p) >= 2 && p[0] == '\'' && p[len(p)-1] == '\'' {
			p = p[1 : len(p)-1]
		}
		parts = append(parts, p)
		cur.Reset()
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' && i+1 < len(k) {
				cur.WriteByte(c)
				i++
				c = k[i]
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			flush()
			continue
		}
		cur.WriteByte(c)
	}
	flush()
	return strings.Join(parts, ".")
}

// start begins the value of key path at line n.
func (st *scanState) start(value, path string, n int, idx lineIndex) {
	v := strings.TrimSpace(value)
	if strings.HasPrefix(v, "[") {
		st.array = path
	}
	st.scan(value, n, idx)
}

// scan reads one line (or the value part of one) and records where the
// elements of the current array value start.
func (st *scanState) scan(line string, n int, idx lineIndex) {
	elemStart := func() {
		if st.array != "" && st.depth == 1 && st.wantElem {
			idx.set(fmt.Sprintf("%s[%d]", st.array, st.elem), n)
			st.wantElem = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch st.str {
		case '"', '\'':
			if c == '\\' && st.str == '"' {
				i++
			} else if c == st.str {
				st.str = 0
			}
			continue
		case 'B', 'L':
			q := byte('"')
			if st.str == 'L' {
				q = '\''
			}
			if c == '\\' && st.str == 'B' {
				i++
			} else if strings.HasPrefix(line[i:], strings.Repeat(string(q), 3)) {
				st.str = 0
				i += 2
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r':
		case '#':
			return
		case '"', '\'':
			elemStart()
			st.str = c
			if strings.HasPrefix(line[i:], strings.Repeat(string(c), 3)) {
				st.str = 'B'
				if c == '\'' {
					st.str = 'L'
				}
				i += 2
			}
		case '[', '{':
			elemStart()
			st.depth++
			if st.depth == 1 && c == '[' && st.array != "" {
				st.elem, st.wantElem = 0, true
			}
		case ']', '}':
			st.depth--
		case ',':
			if st.depth == 1 {
				st.elem++
				st.wantElem = true
			}
		default:
			elemStart()
		}
	}
}

// Blank returns text (the text m maps) with every line that belongs to
// table name (its header, keys, values and the comments inside it) emptied,
// so the rest keeps its line numbers.
func (m *TextMap) Blank(text, name string) string {
	src := strings.Split(text, "\n")
	for i, o := range m.owner {
		if o == name || strings.HasPrefix(o, name+".") || strings.HasPrefix(o, name+"[") {
			src[i] = ""
		}
	}
	return strings.Join(src, "\n")
}
