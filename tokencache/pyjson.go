package tokencache

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/ssokit/ssokit/internal/pyjson"
)

// member is one name/value pair of a JSON object whose order matters.
type member struct {
	name  string
	value any
}

// pyDumps renders v byte for byte as Python's json.dumps does with its
// defaults: ", " and ": " separators, every character outside printable
// ASCII escaped as \uXXXX, "/" left alone. The registration file name is the
// SHA-1 of such a text, and token files written this way look exactly like
// the AWS CLI's.
//
// v may be nil, string, bool, json.Number, []string, []any, []member (an
// object in that order), map[string]any (keys sorted) or json.RawMessage.
func pyDumps(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := pyEncode(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func pyEncode(buf *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case string:
		writePyString(buf, v)
	case bool:
		if v {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case json.Number:
		buf.WriteString(v.String())
	case []string:
		if v == nil {
			buf.WriteString("null")
			return nil
		}
		buf.WriteByte('[')
		for i, s := range v {
			if i > 0 {
				buf.WriteString(", ")
			}
			writePyString(buf, s)
		}
		buf.WriteByte(']')
	case []any:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteString(", ")
			}
			if err := pyEncode(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case []member:
		buf.WriteByte('{')
		for i, m := range v {
			if i > 0 {
				buf.WriteString(", ")
			}
			writePyString(buf, m.name)
			buf.WriteString(": ")
			if err := pyEncode(buf, m.value); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		ms := make([]member, len(keys))
		for i, k := range keys {
			ms[i] = member{k, v[k]}
		}
		return pyEncode(buf, ms)
	case json.RawMessage:
		d := json.NewDecoder(bytes.NewReader(v))
		d.UseNumber()
		var x any
		if err := d.Decode(&x); err != nil {
			return err
		}
		return pyEncode(buf, x)
	default:
		return fmt.Errorf("pyDumps: unsupported type %T", v)
	}
	return nil
}

// writePyString writes s as Python's json.dumps quotes it.
func writePyString(buf *bytes.Buffer, s string) {
	buf.Write(pyjson.AppendString(buf.AvailableBuffer(), s))
}
