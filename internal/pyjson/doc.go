// Package pyjson quotes strings exactly as Python's json.dumps does with its
// defaults (ensure_ascii). The AWS CLI names its cache files after the SHA-1
// of such text, so ssokit must produce the same bytes: encoding/json differs
// (it escapes <, > and & and '/'-adjacent forms, and leaves non-ASCII as is).
package pyjson
