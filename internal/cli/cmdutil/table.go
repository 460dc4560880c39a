package cmdutil

import (
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// Table writes rows as aligned columns, two spaces apart, for a person to
// read. On a terminal it fits the terminal's width: lists are summarised
// first ("dev, prod, +898 more"), then the widest columns are cut with
// "…". Piped elsewhere (`ssokit status | less`, grep) values are kept
// whole, so what is searched for is found, and only lists are summarised,
// to ListWidth: no line grows with the number of profiles. Scripts read
// --output json, which has everything.
type Table struct {
	out   io.Writer
	width int // 0: no limit but ListWidth
	rows  [][]field
	cur   []field
	cut   bool
}

// ListWidth is the widest a list is drawn when the width is not known.
const ListWidth = 60

type field struct {
	text  string
	items []string // a list field when not nil
	// color wraps the cell once it is fitted, so that escape codes take
	// no room in the widths; nil for none.
	color func(string) string
}

// NewTable returns a table that writes to ios.Out, fitted to the terminal
// when stdout is one.
func NewTable(ios *iostreams.IOStreams) *Table {
	t := &Table{out: ios.Out}
	if ios.IsStdoutTTY() {
		t.width = ios.TerminalWidth()
	}
	return t
}

// AddHeader adds a row of column titles.
func (t *Table) AddHeader(titles ...string) {
	for _, h := range titles {
		t.AddField(h)
	}
	t.EndRow()
}

// AddField adds a value to the current row. Tabs and line breaks become
// spaces, so a value cannot break the table.
func (t *Table) AddField(s string) {
	t.cur = append(t.cur, field{text: oneLine(s)})
}

// AddColorField adds a value drawn in color (an iostreams.ColorScheme
// method, which leaves it plain when colour is off).
func (t *Table) AddColorField(s string, color func(string) string) {
	t.cur = append(t.cur, field{text: oneLine(s), color: color})
}

// AddListField adds a list to the current row, shown comma-separated and
// summarised when it does not fit; "-" when empty.
func (t *Table) AddListField(items []string) {
	if len(items) == 0 {
		t.AddField("-")
		return
	}
	clean := make([]string, len(items))
	for i, it := range items {
		clean[i] = oneLine(it)
	}
	t.cur = append(t.cur, field{text: strings.Join(clean, ", "), items: clean})
}

// EndRow ends the current row.
func (t *Table) EndRow() {
	t.rows = append(t.rows, t.cur)
	t.cur = nil
}

// Summarised reports whether Render left out items of some list, so the
// caller can say where the whole list is.
func (t *Table) Summarised() bool { return t.cut }

// Render writes the table.
func (t *Table) Render() error {
	widths := t.columns()
	for _, row := range t.rows {
		var b strings.Builder
		for c, f := range row {
			var cell string
			switch {
			case f.items != nil:
				cell = summarise(f.items, widths[c])
				if cell != f.text {
					t.cut = true
				}
			case runewidth.StringWidth(f.text) > widths[c]:
				cell = runewidth.Truncate(f.text, widths[c], "…")
			default:
				cell = f.text
			}
			pad := widths[c] - runewidth.StringWidth(cell) + 2
			if f.color != nil {
				cell = f.color(cell)
			}
			b.WriteString(cell)
			if c < len(row)-1 {
				b.WriteString(strings.Repeat(" ", pad))
			}
		}
		if _, err := fmt.Fprintln(t.out, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// columns works out each column's width: what its widest value needs,
// then, to fit the width, lists give up room first and the widest columns
// after, down to a floor (the title, or 12 characters, so that short
// values such as an account id stay whole), and only when that is not
// enough below it.
func (t *Table) columns() []int {
	var widths, floor []int
	var isList []bool
	for r, row := range t.rows {
		for c, f := range row {
			if c == len(widths) {
				widths, isList, floor = append(widths, 0), append(isList, false), append(floor, 0)
			}
			w := runewidth.StringWidth(f.text)
			if f.items != nil {
				isList[c] = true
				if t.width == 0 {
					w = min(w, ListWidth)
				}
			}
			widths[c] = max(widths[c], w)
			if r == 0 {
				floor[c] = w // the title
			}
		}
	}
	for c := range floor {
		floor[c] = min(max(floor[c], 12), widths[c])
		if isList[c] {
			floor[c] = min(max(floor[c], 16), widths[c])
		}
	}
	if t.width == 0 {
		return widths
	}
	over := 2*(len(widths)-1) - t.width
	for _, w := range widths {
		over += w
	}
	// Lists first: they say the least per character.
	for c := range widths {
		if over <= 0 {
			break
		}
		if isList[c] {
			give := min(over, widths[c]-floor[c])
			widths[c] -= give
			over -= give
		}
	}
	// Then a character at a time from the widest column that can give: down
	// to the floors, and when that is not enough, down to a few characters.
	for _, hard := range []bool{false, true} {
		if hard {
			for c := range floor {
				floor[c] = min(floor[c], 6)
			}
		}
		for over > 0 {
			widest := -1
			for c := range widths {
				if widths[c] > floor[c] && (widest < 0 || widths[c] > widths[widest]) {
					widest = c
				}
			}
			if widest < 0 {
				break // as narrow as it gets: the terminal wraps the rest
			}
			widths[widest]--
			over--
		}
	}
	return widths
}

// summarise shows as many of items as fit in width, then how many more:
// "dev, prod, +898 more". When not even the first fits it is cut with "…".
func summarise(items []string, width int) string {
	// prefix[n] is the width of the first n items, comma-separated.
	prefix := make([]int, len(items)+1)
	for i, it := range items {
		prefix[i+1] = prefix[i] + runewidth.StringWidth(it)
		if i > 0 {
			prefix[i+1] += 2
		}
	}
	if prefix[len(items)] <= width {
		return strings.Join(items, ", ")
	}
	more := func(n int) string { return fmt.Sprintf(", +%d more", len(items)-n) }
	for n := len(items) - 1; n >= 1; n-- {
		if prefix[n]+runewidth.StringWidth(more(n)) <= width {
			return strings.Join(items[:n], ", ") + more(n)
		}
	}
	room := width - runewidth.StringWidth(more(1))
	if room < 2 {
		return runewidth.Truncate(fmt.Sprintf("%d in all", len(items)), width, "…")
	}
	return runewidth.Truncate(items[0], room, "…") + more(1)
}

func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
