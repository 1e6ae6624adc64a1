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
	stack []frame // the arrays and inline tables open in the current value
	str   byte    // open string: '"', '\'', 'B' ("""), 'L' (''') or 0
}

// frame is an array or inline table being read.
type frame struct {
	kind byte   // '[' or '{'
	path string // key path of the array or table
	elem int    // arrays: index of the current element
	want bool   // arrays: the next value starts element elem; tables: a key comes next
	key  string // inline tables: key path of the value being read
}

// open reports whether a value goes on to the next line: an array or inline
// table, or a multi-line string, is open. The bottom frame is the key's.
func (st *scanState) open() bool { return len(st.stack) > 1 || st.str == 'B' || st.str == 'L' }

// MapText scans TOML text. It knows headers (of tables, of arrays of
// tables and of the tables inside them), dotted and quoted keys, keys inside
// inline tables, strings (all four kinds), comments, and nesting; it is not
// a validating parser: the TOML decoder has already accepted the text.
// Every key path also gives its parents a line, so a problem with a table
// ("polcy", of [polcy.cam]) has the line where the table first appears.
func MapText(text string) *TextMap {
	src := strings.Split(text, "\n")
	m := &TextMap{owner: make([]string, len(src)), lines: lineIndex{}}
	arrays := map[string]int{} // arrays of tables by key path: elements so far
	table, owner := "", ""
	var st scanState
	for i, line := range src {
		n := i + 1
		if st.open() {
			m.owner[i] = owner
			st.scan(line, n, m.lines)
			continue
		}
		st = scanState{}
		s := strings.TrimSpace(line)
		switch {
		case s == "" || s[0] == '#':
			m.owner[i] = table
		case strings.HasPrefix(s, "[["):
			table = arrayHeader(normKey(strings.SplitN(s[2:], "]]", 2)[0]), arrays)
			m.owner[i] = table
			m.lines.set(table, n)
		case s[0] == '[':
			table = resolveTable(normKey(strings.SplitN(s[1:], "]", 2)[0]), arrays)
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
			st.stack = []frame{{kind: '=', path: owner}}
			st.scan(s[eq+1:], n, m.lines)
		}
	}
	return m
}

// resolveTable turns a table name into its key path, giving the parts that
// name arrays of tables the index of their latest element: after [[shock]]
// twice, [shock.path] is "shock[1].path".
func resolveTable(name string, arrays map[string]int) string {
	path := ""
	for _, part := range strings.Split(name, ".") {
		path = joinKey(path, part)
		if k := arrays[path]; k > 0 {
			path = fmt.Sprintf("%s[%d]", path, k-1)
		}
	}
	return path
}

// arrayHeader is resolveTable for [[name]]: a new element of the array.
func arrayHeader(name string, arrays map[string]int) string {
	parent, last := "", name
	if i := strings.LastIndex(name, "."); i >= 0 {
		parent, last = resolveTable(name[:i], arrays), name[i+1:]
	}
	path := joinKey(parent, last)
	k := arrays[path]
	arrays[path] = k + 1
	return fmt.Sprintf("%s[%d]", path, k)
}

// set records the line of key, and of each of its parents that has none yet.
func (idx lineIndex) set(key string, n int) {
	for key != "" {
		if _, ok := idx[key]; ok {
			return
		}
		idx[key] = n
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			return
		}
		key = key[:i]
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

// scan reads one line (or the value part of one) of a value: where the
// elements of arrays and the keys of inline tables start. The bottom frame
// of kind '=' is the key whose value this is.
func (st *scanState) scan(line string, n int, idx lineIndex) {
	top := func() *frame {
		if len(st.stack) == 0 {
			return nil
		}
		return &st.stack[len(st.stack)-1]
	}
	// valuePath is the key path of a value that starts here, recording the
	// start of an array element.
	valuePath := func() string {
		f := top()
		switch {
		case f == nil:
			return ""
		case f.kind == '[':
			p := fmt.Sprintf("%s[%d]", f.path, f.elem)
			if f.want {
				idx.set(p, n)
				f.want = false
			}
			return p
		case f.kind == '{':
			return f.key
		}
		return f.path
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
				for k := 0; k < 2 && i+1 < len(line) && line[i+1] == q; k++ {
					i++
				}
			}
			continue
		}
		if f := top(); f != nil && f.kind == '{' && f.want {
			// A key of an inline table.
			if c == ' ' || c == '\t' || c == '\r' {
				continue
			}
			if c == '}' {
				st.stack = st.stack[:len(st.stack)-1]
				continue
			}
			eq := keyEnd(line[i:])
			if eq < 0 {
				return
			}
			f.key = joinKey(f.path, normKey(line[i:i+eq]))
			f.want = false
			idx.set(f.key, n)
			i += eq
			continue
		}
		switch c {
		case ' ', '\t', '\r':
		case '#':
			return
		case '"', '\'':
			valuePath()
			st.str = c
			if strings.HasPrefix(line[i:], strings.Repeat(string(c), 3)) {
				st.str = 'B'
				if c == '\'' {
					st.str = 'L'
				}
				i += 2
			}
		case '[', '{':
			path := valuePath()
			st.stack = append(st.stack, frame{kind: c, path: path, want: true})
		case ']', '}':
			if f := top(); f != nil && f.kind != '=' {
				st.stack = st.stack[:len(st.stack)-1]
			}
		case ',':
			if f := top(); f != nil && f.kind == '[' {
				f.elem++
				f.want = true
			} else if f != nil && f.kind == '{' {
				f.want = true
			}
		default:
			valuePath()
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
