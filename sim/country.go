package sim

import "fmt"

// Country is one of the three origin countries.
type Country uint8

// The origin countries, in the fixed order used by every output.
const (
	SV Country = iota // El Salvador
	HN                // Honduras
	GT                // Guatemala
	NumCountries
)

var countryCodes = [NumCountries]string{"SV", "HN", "GT"}
var countryNames = [NumCountries]string{"El Salvador", "Honduras", "Guatemala"}

// Code is the ISO 3166 alpha-2 code (SV, HN, GT).
func (c Country) Code() string { return countryCodes[c] }

// Name is the country's English name.
func (c Country) Name() string { return countryNames[c] }

// String returns the code.
func (c Country) String() string { return c.Code() }

// ParseCountry returns the country with the given code.
func ParseCountry(code string) (Country, error) {
	for i, s := range countryCodes {
		if s == code {
			return Country(i), nil
		}
	}
	return 0, fmt.Errorf("country %q: want SV, HN or GT", code)
}
