package results

import (
	"image/color"

	"gonum.org/v1/plot/vg"
)

// Palette is the Okabe–Ito palette, which readers with any common colour
// vision deficiency can tell apart, in the order the plots use it. The order
// keeps the one green away from the reds and oranges, and yellow, the
// faintest on white, comes last.
var Palette = []color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
	{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
	{R: 0x00, G: 0x00, B: 0x00, A: 0xFF}, // black
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
	{R: 0xF0, G: 0xE4, B: 0x42, A: 0xFF}, // yellow
}

// paletteColor is the i-th series colour, cycling through Palette.
func paletteColor(i int) color.NRGBA { return Palette[i%len(Palette)] }

// translucent is c at the opacity of a shaded band.
func translucent(c color.NRGBA) color.NRGBA {
	c.A = 56
	return c
}

// lineDashes is the i-th series dash pattern, so that lines differ in
// grey-scale prints as well as in colour.
func lineDashes(i int) []vg.Length {
	switch i % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	}
	return nil
}
