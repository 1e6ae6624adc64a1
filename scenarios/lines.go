package scenarios

import (
	"fmt"
	"strings"
)

// lineIndex maps key paths ("policy.cam.close", "shock[1].path") to the line
// that sets them. BurntSushi/toml reports lines for syntax errors only, so the
// loader finds the lines of keys itself, for error messages.
type lineIndex map[string]int

// locate indexes the key lines of TOML text. It understands [table] and
// [[array]] headers and dotted keys; keys inside inline tables take the line
// of the key that holds the inline table (lineOf falls back to prefixes).
func locate(text string) lineIndex {
	idx := lineIndex{}
	arrays := map[string]int{}
	table := ""
	for n, line := range strings.Split(text, "\n") {
		s := strings.TrimSpace(line)
		switch {
		case s == "" || s[0] == '#':
		case strings.HasPrefix(s, "[["):
			name := cleanKey(strings.TrimSuffix(strings.SplitN(s[2:], "]]", 2)[0], "]]"))
			i := arrays[name]
			arrays[name] = i + 1
			table = fmt.Sprintf("%s[%d]", name, i)
			idx[table] = n + 1
		case s[0] == '[':
			table = cleanKey(strings.SplitN(s[1:], "]", 2)[0])
			idx[table] = n + 1
		default:
			k, _, ok := strings.Cut(s, "=")
			if !ok {
				continue
			}
			path := cleanKey(k)
			if table != "" {
				path = table + "." + path
			}
			if _, seen := idx[path]; !seen {
				idx[path] = n + 1
			}
		}
	}
	return idx
}

// cleanKey normalises a TOML key: spaces around dots removed, quotes dropped;
// dots inside quotes belong to the key.
func cleanKey(k string) string {
	var parts []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(k); i++ {
		ch := k[i]
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(ch)
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(ch)
		}
	}
	parts = append(parts, strings.TrimSpace(cur.String()))
	return strings.Join(parts, ".")
}

// lineOf returns the line of key, or of its nearest parent that has one; 0 if none.
func (idx lineIndex) lineOf(key string) int {
	for key != "" {
		if n, ok := idx[key]; ok {
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
