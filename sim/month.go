package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// Month is a calendar month counted from January of year 0 (year*12 + month-1).
// The zero Month means "not set"; policy dates use it for "never".
type Month int32

// MonthOf returns the Month for a year and a month number (1–12).
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// ParseMonth parses "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	y, m, ok := strings.Cut(s, "-")
	if !ok || len(y) != 4 || len(m) != 2 {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	year, err1 := strconv.Atoi(y)
	mon, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mon < 1 || mon > 12 || year < 1 {
		return 0, fmt.Errorf("month %q: want YYYY-MM with a month from 01 to 12", s)
	}
	return MonthOf(year, mon), nil
}

// Year is the calendar year of m.
func (m Month) Year() int { return int(m) / 12 }

// Num is the month of the year, 1–12.
func (m Month) Num() int { return int(m)%12 + 1 }

// IsSet reports whether m holds a date.
func (m Month) IsSet() bool { return m != 0 }

// Add returns the month n months after m.
func (m Month) Add(n int) Month { return m + Month(n) }

// String formats m as "YYYY-MM", or "" when unset.
func (m Month) String() string {
	if m == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year(), m.Num())
}

// FiscalYear is the U.S. federal fiscal year that contains m (October starts the next one).
func (m Month) FiscalYear() int {
	if m.Num() >= 10 {
		return m.Year() + 1
	}
	return m.Year()
}

// MarshalText formats m as "YYYY-MM".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses "YYYY-MM"; the empty string leaves m unset.
func (m *Month) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = 0
		return nil
	}
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
