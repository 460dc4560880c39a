package credentials

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/pyjson"
)

// providerTypeSSO marks the cache entries that hold SSO role credentials;
// logout removes exactly these.
const providerTypeSSO = "sso"

// expirationLayout is how the AWS CLI renders Expiration in its cache.
const expirationLayout = "2006-01-02T15:04:05Z"

// DefaultCacheDir is the AWS CLI's role-credential cache folder under home.
func DefaultCacheDir(home string) string {
	return filepath.Join(home, ".aws", "cli", "cache")
}

// cacheFileName is the SHA-1 of cacheKey, in hex, plus ".json".
func cacheFileName(accountID, roleName, sessionName, startURL string) string {
	sum := sha1.Sum([]byte(cacheKey(accountID, roleName, sessionName, startURL)))
	return hex.EncodeToString(sum[:]) + ".json"
}

// cacheKey is the text whose SHA-1 names an SSO entry: the compact JSON
// (keys sorted, separators "," and ":") that the AWS CLI hashes, with
// sessionName for sso-session profiles and startUrl for legacy ones.
func cacheKey(accountID, roleName, sessionName, startURL string) string {
	b := []byte(`{"accountId":`)
	b = pyjson.AppendString(b, accountID)
	b = append(b, `,"roleName":`...)
	b = pyjson.AppendString(b, roleName)
	if sessionName != "" {
		b = append(b, `,"sessionName":`...)
		b = pyjson.AppendString(b, sessionName)
	} else {
		b = append(b, `,"startUrl":`...)
		b = pyjson.AppendString(b, startURL)
	}
	return string(append(b, '}'))
}

// cacheEntry is the JSON of one file in the cache. Fields this package does
// not know (AssumedRoleUser, ResponseMetadata in assume-role entries) are
// ignored on read.
type cacheEntry struct {
	ProviderType string `json:"ProviderType"`
	Credentials  struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		SessionToken    string `json:"SessionToken"`
		Expiration      string `json:"Expiration"`
		AccountID       string `json:"AccountId"`
	} `json:"Credentials"`
}

// readCache returns the credentials stored at path. A missing, unreadable,
// corrupt or incomplete file is a miss (ok false), never an error: the cache
// is only an optimisation, and the next write replaces the bad file.
func readCache(path string) (creds aws.Credentials, ok bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return aws.Credentials{}, false
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil {
		return aws.Credentials{}, false
	}
	c := e.Credentials
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.Expiration == "" {
		return aws.Credentials{}, false
	}
	exp, err := parseExpiration(c.Expiration)
	if err != nil {
		return aws.Credentials{}, false
	}
	return aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		CanExpire:       true,
		Expires:         exp,
		AccountID:       c.AccountID,
		Source:          Source,
	}, true
}

// parseExpiration reads the time formats found in the cache: the CLI's
// "2026-01-01T09:00:00Z", older assume-role entries' "2026-01-01T09:00:00UTC",
// and any RFC 3339 time with fractional seconds or an offset.
func parseExpiration(s string) (time.Time, error) {
	if rest, ok := strings.CutSuffix(s, "UTC"); ok {
		s = rest + "Z"
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiration %q is not an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// marshalCache renders creds exactly as the AWS CLI writes an SSO entry
// (Python json.dumps defaults: ", " and ": " separators, no newline), so a
// file written by ssokit is byte-identical to one written by the CLI.
func marshalCache(creds aws.Credentials) []byte {
	b := make([]byte, 0, 1500)
	b = append(b, `{"ProviderType": "sso", "Credentials": {"AccessKeyId": `...)
	b = pyjson.AppendString(b, creds.AccessKeyID)
	b = append(b, `, "SecretAccessKey": `...)
	b = pyjson.AppendString(b, creds.SecretAccessKey)
	b = append(b, `, "SessionToken": `...)
	b = pyjson.AppendString(b, creds.SessionToken)
	b = append(b, `, "Expiration": `...)
	b = pyjson.AppendString(b, creds.Expires.UTC().Format(expirationLayout))
	if creds.AccountID != "" {
		b = append(b, `, "AccountId": `...)
		b = pyjson.AppendString(b, creds.AccountID)
	}
	return append(b, "}}"...)
}

// writeCache stores creds at path atomically with mode 0600.
func writeCache(path string, creds aws.Credentials) error {
	if err := fileutil.WriteAtomic(path, marshalCache(creds), fileutil.Secret); err != nil {
		return fmt.Errorf("save role credentials in the cache: %w", err)
	}
	return nil
}

// PurgeSSOCache deletes every file in dir whose JSON has "ProviderType":
// "sso", as `aws sso logout` does, and reports how many it removed, and the
// temp files interrupted writes left (not counted). Other entries
// (assume-role, web identity), files that are not JSON and a missing
// folder are left alone.
func PurgeSSOCache(dir string) (removed int, err error) {
	fileutil.RemoveLeftovers(dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("list role-credential cache %s: %w", dir, err)
	}
	var errs []error
	for _, de := range entries {
		if !de.Type().IsRegular() || !strings.HasSuffix(de.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, de.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var e struct {
			ProviderType string `json:"ProviderType"`
		}
		if json.Unmarshal(data, &e) != nil || e.ProviderType != providerTypeSSO {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("delete cached role credentials %s: %w", path, err))
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}
