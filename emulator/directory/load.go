package directory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"

	"gopkg.in/yaml.v3"
)

// maxFileSize bounds what Load reads: a directory of 100,000 users fits.
const maxFileSize = 64 << 20

// Load reads and validates a YAML directory file. Unknown keys are errors (a
// misspelt "pasword" should not silently leave a user without a password),
// and every error names the file, and where it can the line and the entry.
func Load(path string) (*Directory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read directory: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read directory %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("directory %s is larger than %d MiB", path, maxFileSize>>20)
	}
	return Parse(path, data)
}

// Parse is Load for bytes already read; name is used in errors.
func Parse(name string, data []byte) (*Directory, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("directory %s is empty: list users, accounts, permission_sets and assignments", name)
		}
		return nil, fmt.Errorf("parse directory %s: %w", name, err)
	}
	d := &Directory{}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(d); err != nil {
		return nil, fmt.Errorf("parse directory %s: %w", name, err)
	}
	if err := d.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.File = name
			for i, p := range ve.Problems {
				if line := entryLine(&root, p); line > 0 {
					ve.Problems[i] = fmt.Sprintf("line %d: %s", line, p)
				}
			}
		}
		return nil, err
	}
	return d, nil
}

var entryRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-z_]+)\[([0-9]+)\]`) })

// entryLine finds the line of the entry a validation problem starts with,
// e.g. "users[2]" → the line of the third item under "users:".
func entryLine(root *yaml.Node, problem string) int {
	m := entryRE().FindStringSubmatch(problem)
	if m == nil {
		return 0
	}
	i, _ := strconv.Atoi(m[2])
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return 0
	}
	for k := 0; k+1 < len(doc.Content); k += 2 {
		if doc.Content[k].Value != m[1] {
			continue
		}
		seq := doc.Content[k+1]
		if seq.Kind == yaml.SequenceNode && i < len(seq.Content) {
			return seq.Content[i].Line
		}
	}
	return 0
}
