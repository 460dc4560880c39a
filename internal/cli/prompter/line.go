package prompter

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
)

// linePrompter asks on a terminal that cannot draw (TERM=dumb), a line at
// a time. The terminal is left in its line mode, so Ctrl-C is a signal,
// not a key: it is caught while a question waits and cancels it.
type linePrompter struct {
	out io.Writer

	// One reader goroutine owns in for the process's life: a read cannot
	// be interrupted, so a cancelled question leaves it waiting, and the
	// next question takes its line.
	start sync.Once
	in    io.Reader
	lines chan lineOrErr
	// interrupts delivers Ctrl-C; a test replaces it.
	interrupts func() (<-chan os.Signal, func())
}

type lineOrErr struct {
	line string
	err  error
}

func newLinePrompter(in io.Reader, out io.Writer) *linePrompter {
	return &linePrompter{in: in, out: out, interrupts: func() (<-chan os.Signal, func()) {
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		return c, func() { signal.Stop(c) }
	}}
}

// readLine waits for a line of input: ErrCancelled on Ctrl-C or at the
// end of input.
func (p *linePrompter) readLine() (string, error) {
	p.start.Do(func() {
		p.lines = make(chan lineOrErr)
		go func() {
			r := bufio.NewReader(p.in)
			for {
				line, err := r.ReadString('\n')
				if err != nil && line == "" {
					p.lines <- lineOrErr{err: err}
					continue
				}
				p.lines <- lineOrErr{line: strings.TrimRight(line, "\r\n")}
			}
		}()
	})
	sigs, stop := p.interrupts()
	defer stop()
	select {
	case l := <-p.lines:
		if l.err != nil {
			// Ctrl-D on an empty line, or the input closed: nobody will
			// answer, so asking again would loop.
			fmt.Fprintln(p.out)
			return "", ErrCancelled
		}
		return l.line, nil
	case <-sigs:
		fmt.Fprintln(p.out)
		return "", ErrCancelled
	}
}

func (p *linePrompter) Input(prompt, def string, check func(string) error) (string, error) {
	for {
		if def != "" {
			fmt.Fprintf(p.out, "%s [%s]: ", prompt, def)
		} else {
			fmt.Fprintf(p.out, "%s: ", prompt)
		}
		line, err := p.readLine()
		if err != nil {
			return "", err
		}
		v := strings.TrimSpace(line)
		if v == "" {
			v = def
		}
		if check != nil {
			if err := check(v); err != nil {
				fmt.Fprintf(p.out, "  %s\n", capitalize(err.Error()))
				continue
			}
		}
		return v, nil
	}
}

// maxListed is how many options a select lists at once; a longer list is
// narrowed by typing part of an option.
const maxListed = 20

func (p *linePrompter) Select(prompt string, options []string, def int) (int, error) {
	shown := make([]int, len(options)) // indexes into options
	for i := range options {
		shown[i] = i
	}
	filter := ""
	list := true
	for {
		if list {
			p.list(prompt, options, shown, filter)
		}
		list = true
		fmt.Fprintf(p.out, "Number, or text to narrow the list")
		if filter == "" && def >= 0 && def < len(options) {
			fmt.Fprintf(p.out, " [%d]", def+1)
		}
		fmt.Fprint(p.out, ": ")
		line, err := p.readLine()
		if err != nil {
			return 0, err
		}
		answer := strings.TrimSpace(line)
		switch n, err := strconv.Atoi(answer); {
		case answer == "" && filter == "" && def >= 0 && def < len(options):
			return def, nil
		case answer == "":
			list = false
		case err == nil && n >= 1 && n <= len(shown) && n <= maxListed:
			return shown[n-1], nil
		case err == nil:
			fmt.Fprintf(p.out, "  There is no option %d; choose a number from the list.\n", n)
			list = false
		default:
			var matches []int
			for _, i := range shown {
				if strings.Contains(strings.ToLower(options[i]), strings.ToLower(answer)) {
					matches = append(matches, i)
				}
			}
			switch len(matches) {
			case 0:
				fmt.Fprintf(p.out, "  Nothing matches %q; try other text, or a number from the list.\n", answer)
				list = false
			case 1:
				return matches[0], nil
			default:
				shown, filter = matches, strings.TrimSpace(filter+" "+answer)
			}
		}
	}
}

// list prints the options shown, numbered, at most maxListed of them.
func (p *linePrompter) list(prompt string, options []string, shown []int, filter string) {
	if filter != "" {
		fmt.Fprintf(p.out, "%s (%d matching %q):\n", prompt, len(shown), filter)
	} else {
		fmt.Fprintf(p.out, "%s:\n", prompt)
	}
	for n, i := range shown {
		if n == maxListed {
			fmt.Fprintf(p.out, "  … and %d more; type text to narrow the list\n", len(shown)-maxListed)
			break
		}
		fmt.Fprintf(p.out, "  %2d. %s\n", n+1, options[i])
	}
}

func (p *linePrompter) Confirm(prompt string, def bool) (bool, error) {
	hint := "y/N"
	if def {
		hint = "Y/n"
	}
	for {
		fmt.Fprintf(p.out, "%s [%s]: ", prompt, hint)
		line, err := p.readLine()
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		fmt.Fprintln(p.out, "  Answer y or n.")
	}
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
