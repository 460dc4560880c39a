package config

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ssokit/ssokit/internal/redact"
)

// The file is kept as its lines, each verbatim with its own line ending, so
// that writing it back without a change gives the same bytes, and an edit
// touches only the lines it is about. The grammar used to classify lines is
// the one of Python's RawConfigParser as botocore configures it, because the
// AWS CLI is what users check their files against:
//
//   - a line whose first non-blank character is '#' or ';' is a comment, also
//     when indented and also in the middle of a value;
//   - a line indented deeper than the key above it continues that key's value
//     (blank lines in between do not end the value);
//   - "[...]" is a section header; the name is everything between the first
//     '[' and the last ']' as written, blanks included;
//   - otherwise "key = value" or "key: value", split at the first '=' or ':';
//   - inline comments are part of the value and quotes are kept (the Go SDK
//     strips both; botocore does not, and we follow botocore).
//
// Two things botocore rejects are only warnings here, as the Go SDK reads
// them: a section that appears twice in one file (its keys are merged, later
// ones win) and a key repeated in one section (the later wins). Refusing them
// would lock users out of files the Go SDK and most tools accept; `ssokit
// doctor` reports both places so they can be cleaned up.

type lineKind uint8

const (
	lineBlank lineKind = iota
	lineComment
	lineHeader
	lineKey
	lineContinuation // deeper-indented text that belongs to the key above
	lineInvalid      // botocore refuses the file because of this line
)

// line is kept small: a large file holds a great many of them.
type line struct {
	text   string // without the line ending
	key    string // lower-cased key name of a lineKey
	num    int32  // 1-based line number when parsed; 0 for lines added later
	valOff int32  // offset in text where a lineKey's value starts
	kind   lineKind
	eol    eol
}

// eol is a line ending.
type eol uint8

const (
	eolNone eol = iota // the last line of a file that does not end with one
	eolLF
	eolCRLF
	eolCR // a lone carriage return, as old Mac files and Python read it
)

func (e eol) String() string {
	switch e {
	case eolLF:
		return "\n"
	case eolCRLF:
		return "\r\n"
	case eolCR:
		return "\r"
	}
	return ""
}

// File is one config or credentials file, kept losslessly. The zero value is
// not usable; get one from Parse.
type File struct {
	path     string
	bom      string // a UTF-8 byte order mark the file started with
	preamble []line // comments and blank lines before the first section
	sections []*Section
	eol      eol // line ending for new lines: the file's own
	problems []Problem

	// Lookup maps for Section, built on first use.
	byRaw, byWords map[string]*Section
}

// Section is one "[header]" with the lines that follow it up to the next
// header. It stays valid across edits of other sections.
type Section struct {
	f      *File
	header string // as written between the brackets
	lines  []line // lines[0] is the header line
}

// Parse reads data as the file at path (the path is used only in messages
// and locations). A file botocore refuses to read is refused here too, with
// a *ParseError naming every offending line.
func Parse(path string, data []byte) (*File, error) {
	f := parse(path, data)
	if len(f.problems) > 0 {
		return nil, &ParseError{Path: path, Problems: f.problems}
	}
	return f, nil
}

// parse never fails: lines it cannot read are kept verbatim and reported in
// f.problems, so that doctor can report every problem at once.
func parse(path string, data []byte) *File {
	f := &File{path: path, eol: eolLF}
	src := string(data)
	if strings.HasPrefix(src, "\ufeff") {
		f.bom, src = "\ufeff", src[len("\ufeff"):]
		f.problem(1, "the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read",
			"save the file as UTF-8 without a byte order mark")
	}
	if _, e := newLineReader(src).next(); e != eolNone {
		f.eol = e
	}
	valid := utf8.ValidString(src) // botocore refuses a file that is not UTF-8

	// All lines live in one array, each section a capacity-limited slice of
	// it, so that reading a large file allocates little and an edit that
	// grows a section reallocates that section alone.
	all := make([]line, 0, strings.Count(src, "\n")+strings.Count(src, "\r")+1)
	var (
		starts      []int // index in all of each section's header
		headers     []string
		keyOpen     bool // a key is open for continuation lines (optname set)
		indentLevel int
		nestedKey   = -1 // index in all of a key with an empty value, or -1
		nestedOK    bool // that key's continuation lines so far all hold '='
	)
	lines := newLineReader(src)
	for num := 1; len(lines.src) > 0; num++ {
		var ln line
		ln.num = int32(num)
		ln.text, ln.eol = lines.next()

		if !valid && !utf8.ValidString(ln.text) {
			f.problem(num, "the line is not valid UTF-8, which the AWS CLI cannot read",
				"save the file as UTF-8, or remove the characters that are not")
		}
		s := trim(ln.text)
		indent := indentOf(ln.text)
		inSection := len(starts) > 0
		switch {
		case s == "":
			ln.kind = lineBlank
		case s[0] == '#' || s[0] == ';':
			ln.kind = lineComment
		case inSection && keyOpen && indent > indentLevel:
			ln.kind = lineContinuation
			if nestedKey >= 0 && nestedOK && !strings.Contains(s, "=") {
				nestedOK = false
				shown := redact.Line(s)
				if redact.IsSecretKey(all[nestedKey].key) {
					shown = "(not shown: it continues a secret key)"
				}
				f.problem(num, fmt.Sprintf("the line %s under %s has no '=': the AWS CLI reads an empty key followed by indented lines as nested settings", shown, redact.Quote(all[nestedKey].key)),
					"write it as an indented \"name = value\" line, or remove it")
			}
		default:
			indentLevel = indent
			if h, ok := headerName(s); ok {
				ln.kind = lineHeader
				starts, headers = append(starts, len(all)), append(headers, h)
				keyOpen, nestedKey = false, -1
				break
			}
			if k, off, ok := splitKey(ln.text); ok && inSection {
				ln.kind, ln.key, ln.valOff = lineKey, k, int32(off)
				keyOpen = true
				nestedKey, nestedOK = -1, true
				if trim(ln.text[off:]) == "" {
					nestedKey = len(all)
				}
				break
			}
			ln.kind = lineInvalid
			if !inSection {
				f.problem(num, fmt.Sprintf("%s comes before the first [section] header", redact.Line(s)),
					"put it inside a section such as [default] or [profile NAME], or remove it")
			} else {
				f.problem(num, fmt.Sprintf("%s is neither a [section] header, a \"key = value\" line nor a comment", redact.Line(s)),
					"fix the line, or start it with '#' to make it a comment")
			}
		}
		all = append(all, ln)
	}

	end := len(all)
	if len(starts) > 0 {
		end = starts[0]
	}
	f.preamble = all[:end:end]
	slab := make([]Section, len(starts))
	f.sections = make([]*Section, len(starts))
	for i, start := range starts {
		end := len(all)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		slab[i] = Section{f: f, header: headers[i], lines: all[start:end:end]}
		f.sections[i] = &slab[i]
	}
	return f
}

// lineReader splits text into lines with their endings. Like Python
// reading a text file (as botocore does), it ends a line at "\n", "\r\n" or
// a lone "\r". It looks for each "\n" once, so that a file with thousands of
// lone "\r" endings is still split in linear time.
type lineReader struct {
	src string
	nl  int // index in src of the next '\n'; -1 when there is none, -2 unknown
}

func newLineReader(src string) *lineReader { return &lineReader{src: src, nl: -2} }

func (r *lineReader) next() (text string, e eol) {
	if r.nl == -2 {
		r.nl = strings.IndexByte(r.src, '\n')
	}
	end := r.nl
	if end < 0 {
		end = len(r.src)
	}
	if j := strings.IndexByte(r.src[:end], '\r'); j >= 0 && (j < end-1 || r.nl < 0) {
		text, r.src = r.src[:j], r.src[j+1:]
		if r.nl >= 0 {
			r.nl -= j + 1
		}
		return text, eolCR
	}
	if r.nl < 0 {
		text, r.src = r.src, ""
		return text, eolNone
	}
	text, e, r.src = r.src[:r.nl], eolLF, r.src[r.nl+1:]
	r.nl = -2
	if strings.HasSuffix(text, "\r") {
		text, e = text[:len(text)-1], eolCRLF
	}
	return text, e
}

// isSpace is Python's str.isspace, which botocore's parser trims with: Go's
// unicode.IsSpace and the information separators U+001C to U+001F.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }

// trim is Python's str.strip(), with a fast path for ASCII ends.
func trim(s string) string {
	start, end := 0, len(s)
	for start < end && s[start] < utf8.RuneSelf && asciiSpace[s[start]] {
		start++
	}
	if start < end && s[start] >= utf8.RuneSelf {
		return strings.TrimFunc(s[start:end], isSpace)
	}
	for end > start && s[end-1] < utf8.RuneSelf && asciiSpace[s[end-1]] {
		end--
	}
	if end > start && s[end-1] >= utf8.RuneSelf {
		return strings.TrimRightFunc(s[start:end], isSpace)
	}
	return s[start:end]
}

// indentOf is the length of s's leading white space.
func indentOf(s string) int {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && asciiSpace[s[i]] {
		i++
	}
	if i < len(s) && s[i] >= utf8.RuneSelf {
		return len(s) - len(strings.TrimLeftFunc(s, isSpace))
	}
	return i
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true, 0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

func (f *File) problem(line int, msg, fix string) {
	f.problems = append(f.problems, Problem{Location: Location{File: f.path, Line: line}, Message: msg, Fix: fix})
}

// headerName returns what is between the first '[' and the last ']' of a
// trimmed line, as Python's configparser does ("[a] x" is section "a").
func headerName(s string) (string, bool) {
	if s[0] != '[' {
		return "", false
	}
	j := strings.LastIndexByte(s, ']')
	if j < 2 {
		return "", false
	}
	return s[1:j], true
}

// splitKey splits a "key = value" line at its first '=' or ':'. It returns
// the lower-cased key and the offset where the value starts.
func splitKey(text string) (key string, valOff int, ok bool) {
	i := 0
	for i < len(text) && text[i] != '=' && text[i] != ':' {
		i++
	}
	if i == len(text) {
		return "", 0, false
	}
	k := trim(text[:i])
	if k == "" {
		return "", 0, false
	}
	return lowerKey(k), i + 1, true
}

// lowerKey avoids an allocation for keys that are already lower case, which
// nearly all are.
func lowerKey(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(k)
		}
	}
	return k
}

// Path is the file's path as given to Parse.
func (f *File) Path() string { return f.path }

// Bytes returns the file's content, every untouched line exactly as read.
func (f *File) Bytes() []byte {
	n := len(f.bom)
	for _, ln := range f.preamble {
		n += len(ln.text) + 2
	}
	for _, s := range f.sections {
		for _, ln := range s.lines {
			n += len(ln.text) + 2
		}
	}
	var b bytes.Buffer
	b.Grow(n)
	b.WriteString(f.bom)
	for _, ln := range f.preamble {
		b.WriteString(ln.text)
		b.WriteString(ln.eol.String())
	}
	for _, s := range f.sections {
		for _, ln := range s.lines {
			b.WriteString(ln.text)
			b.WriteString(ln.eol.String())
		}
	}
	return b.Bytes()
}

// Sections lists the sections in file order, duplicates included.
func (f *File) Sections() []*Section { return append([]*Section(nil), f.sections...) }

// Section returns the section with this header, e.g. "profile dev",
// "sso-session my-sso", "default", or "dev" in a credentials file: the one
// written exactly so, or else one that splits into the same words by the
// shell-like rules botocore uses for config headers ("profile 'my name'"
// finds [profile "my name"]). When a header appears more than once, the
// last one is returned: its keys win on reading. Nil when absent.
func (f *File) Section(header string) *Section {
	if f.byRaw == nil {
		f.byRaw = make(map[string]*Section, len(f.sections))
		f.byWords = make(map[string]*Section, len(f.sections))
		for _, s := range f.sections {
			f.index(s)
		}
	}
	if s := f.byRaw[header]; s != nil {
		return s
	}
	if k, ok := wordsKey(header); ok {
		return f.byWords[k]
	}
	return nil
}

// index records s as the latest section for its header, once the lookup
// maps exist.
func (f *File) index(s *Section) {
	if f.byRaw == nil {
		return
	}
	f.byRaw[s.header] = s
	if k, ok := wordsKey(s.header); ok {
		f.byWords[k] = s
	}
}

// wordsKey is a header's words joined by a byte no header holds.
func wordsKey(header string) (string, bool) {
	words, err := shellSplit(header)
	if err != nil || len(words) == 0 {
		return "", false
	}
	return strings.Join(words, "\x00"), true
}

// AddSection appends a new "[header]" section, with a blank line before it
// when the file does not already end with one. It does not check whether
// the header exists; use Section first.
func (f *File) AddSection(header string) *Section {
	f.terminateLastLine()
	if last := f.lastLine(); last != nil && last.kind != lineBlank {
		f.appendTrailing(line{eol: f.eol})
	}
	s := &Section{f: f, header: header, lines: []line{{text: "[" + header + "]", eol: f.eol, kind: lineHeader}}}
	f.sections = append(f.sections, s)
	f.index(s)
	return s
}

// RemoveSection removes every section with this header (matched as by
// Section) and reports whether there was one. When the file's last section
// goes, the blank lines left at the end go too, so that adding a section
// and removing it again restores the file.
func (f *File) RemoveSection(header string) bool {
	removed, wasLast := false, false
	for s := f.Section(header); s != nil; s = f.Section(header) {
		for i, t := range f.sections {
			if t == s {
				wasLast = wasLast || i == len(f.sections)-1
				f.sections = append(f.sections[:i], f.sections[i+1:]...)
				break
			}
		}
		s.f = nil
		removed = true
		f.byRaw, f.byWords = nil, nil // rebuilt on the next lookup
	}
	if wasLast {
		f.trimTrailingBlanks()
	}
	return removed
}

func (f *File) lastLine() *line {
	if n := len(f.sections); n > 0 {
		s := f.sections[n-1]
		return &s.lines[len(s.lines)-1]
	}
	if n := len(f.preamble); n > 0 {
		return &f.preamble[n-1]
	}
	return nil
}

func (f *File) appendTrailing(ln line) {
	if n := len(f.sections); n > 0 {
		s := f.sections[n-1]
		s.lines = append(s.lines, ln)
		return
	}
	f.preamble = append(f.preamble, ln)
}

// terminateLastLine gives a last line without a line ending one, before
// anything is appended after it.
func (f *File) terminateLastLine() {
	if last := f.lastLine(); last != nil && last.eol == eolNone {
		last.eol = f.eol
	}
}

func (f *File) trimTrailingBlanks() {
	if n := len(f.sections); n > 0 {
		s := f.sections[n-1]
		for len(s.lines) > 1 && s.lines[len(s.lines)-1].kind == lineBlank {
			s.lines = s.lines[:len(s.lines)-1]
		}
		return
	}
	for len(f.preamble) > 0 && f.preamble[len(f.preamble)-1].kind == lineBlank {
		f.preamble = f.preamble[:len(f.preamble)-1]
	}
}

// Header returns the section's header as written between the brackets.
func (s *Section) Header() string { return s.header }

// Line returns the 1-based line of the section's header as it was read, or 0
// for a section added since.
func (s *Section) Line() int { return int(s.lines[0].num) }

// keyLines returns the indexes of the section's key lines for key; later
// ones win on reading.
func (s *Section) keyLine(key string) int {
	key = lowerKey(key)
	for i := len(s.lines) - 1; i > 0; i-- {
		if s.lines[i].kind == lineKey && s.lines[i].key == key {
			return i
		}
	}
	return -1
}

// valueEnd returns the index after the last line that belongs to the value
// of the key at index i: its continuation lines and the comments and blank
// lines among them (trailing blanks and comments are left to what follows).
func (s *Section) valueEnd(i int) int {
	end := i + 1
	for j := i + 1; j < len(s.lines); j++ {
		switch s.lines[j].kind {
		case lineContinuation:
			end = j + 1
		case lineBlank, lineComment:
		default:
			return end
		}
	}
	return end
}

// value is the key's value as botocore reads it: the text after the
// separator, then each continuation line trimmed on a line of its own (blank
// lines in between kept as empty lines), with trailing blanks removed.
func (s *Section) value(i int) string {
	first := trim(s.lines[i].text[s.lines[i].valOff:])
	end := s.valueEnd(i)
	if end == i+1 {
		return first
	}
	var b strings.Builder
	b.WriteString(first)
	for _, ln := range s.lines[i+1 : end] {
		switch ln.kind {
		case lineContinuation:
			b.WriteByte('\n')
			b.WriteString(trim(ln.text))
		case lineBlank:
			b.WriteByte('\n')
		}
	}
	return strings.TrimRightFunc(b.String(), isSpace)
}

// Get returns the value of key (case-insensitive) in this section; when the
// key is repeated, the last one.
func (s *Section) Get(key string) (string, bool) {
	i := s.keyLine(key)
	if i < 0 {
		return "", false
	}
	return s.value(i), true
}

// Keys lists the section's keys, lower-cased, in file order, each once.
func (s *Section) Keys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, ln := range s.lines {
		if ln.kind == lineKey && !seen[ln.key] {
			seen[ln.key] = true
			keys = append(keys, ln.key)
		}
	}
	return keys
}

// Set gives key the value. An existing key line keeps its indentation, key
// spelling and separator and gets the new value (its continuation lines and
// any earlier repeats of the key are removed); otherwise "key = value" is
// added after the section's last key. A value with several lines is written
// as indented continuation lines; one whose first line is empty is a nested
// setting, and each of its other lines must then be "name = value".
func (s *Section) Set(key, value string) {
	key = lowerKey(trim(key))
	first, rest, _ := strings.Cut(strings.TrimRightFunc(value, isSpace), "\n")
	first = trim(first)
	ending := s.newLineEnding()

	var nl line
	at, end := 0, 0
	if i := s.keyLine(key); i >= 0 {
		old := s.lines[i]
		prefix := old.text[:old.valOff]
		ws := old.text[old.valOff : len(old.text)-len(strings.TrimLeftFunc(old.text[old.valOff:], isSpace))]
		if ws == "" && len(prefix) >= 2 && (prefix[len(prefix)-2] == ' ' || prefix[len(prefix)-2] == '\t') {
			ws = " "
		}
		nl = line{text: prefix + ws + first, kind: lineKey, key: key, valOff: int32(len(prefix)), num: old.num}
		if first == "" {
			nl.text = strings.TrimRightFunc(prefix, isSpace)
		}
		at, end = i, s.valueEnd(i)
	} else {
		// After the last key's value (or the header), before any trailing
		// comments and blank lines, which usually introduce what follows.
		at = 1
		for i := len(s.lines) - 1; i > 0; i-- {
			if s.lines[i].kind == lineKey || s.lines[i].kind == lineInvalid {
				at = s.valueEnd(i)
				break
			}
		}
		if s.lines[at-1].eol == eolNone {
			s.lines[at-1].eol = ending
		}
		end = at
		nl = line{text: key + " = " + first, kind: lineKey, key: key, valOff: int32(len(key) + 2)}
		if first == "" {
			nl.text = key + " ="
		}
	}

	repl := []line{nl}
	if rest != "" {
		indent := nl.text[:len(nl.text)-len(strings.TrimLeftFunc(nl.text, isSpace))] + "  "
		for _, l := range strings.Split(rest, "\n") {
			if l = trim(l); l == "" {
				repl = append(repl, line{kind: lineBlank})
			} else {
				repl = append(repl, line{text: indent + l, kind: lineContinuation})
			}
		}
	}
	for i := range repl {
		repl[i].eol = ending
	}
	if end > at {
		// The replaced lines' own ending goes on: a file that ended without
		// one still does.
		repl[len(repl)-1].eol = s.lines[end-1].eol
	}
	s.lines = append(s.lines[:at], append(repl, s.lines[end:]...)...)
	s.removeEarlier(key, at)
}

// Replace puts "key = value" where oldKey's line is, keeping that line's
// indentation and its place among the comments and keys around it, and
// removes oldKey's continuation lines, its repeats and any other line of
// key. It reports whether oldKey was there; when it was not, nothing
// changes.
func (s *Section) Replace(oldKey, key, value string) bool {
	oldKey, key, value = lowerKey(trim(oldKey)), lowerKey(trim(key)), trim(value)
	if s.keyLine(oldKey) < 0 {
		return false
	}
	if key != oldKey {
		s.Unset(key)
	}
	i := s.keyLine(oldKey)
	end := s.valueEnd(i)
	old := s.lines[i]
	indent := old.text[:indentOf(old.text)]
	nl := line{text: indent + key + " = " + value, kind: lineKey, key: key, valOff: int32(len(indent) + len(key) + 2), num: old.num, eol: s.lines[end-1].eol}
	s.lines = append(s.lines[:i], append([]line{nl}, s.lines[end:]...)...)
	s.removeEarlier(oldKey, i)
	return true
}

// removeEarlier removes repeats of key before index keep.
func (s *Section) removeEarlier(key string, keep int) {
	for i := keep - 1; i > 0; i-- {
		if s.lines[i].kind == lineKey && s.lines[i].key == key {
			s.lines = append(s.lines[:i], s.lines[s.valueEnd(i):]...)
		}
	}
}

// Unset removes every line of key (case-insensitive), continuation lines
// included, and reports whether there was one.
func (s *Section) Unset(key string) bool {
	key = lowerKey(trim(key))
	removed := false
	for i := s.keyLine(key); i >= 0; i = s.keyLine(key) {
		s.lines = append(s.lines[:i], s.lines[s.valueEnd(i):]...)
		removed = true
	}
	return removed
}

func (s *Section) newLineEnding() eol {
	if s.f != nil {
		return s.f.eol
	}
	return eolLF
}
