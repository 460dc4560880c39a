package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ssokit/ssokit/emulator/storage"
)

// schemaVersion is stored in PRAGMA user_version; a file written by a newer
// emulator is refused rather than misread.
const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS clients (
	id TEXT PRIMARY KEY, secret TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
	scopes TEXT NOT NULL, redirect_uris TEXT NOT NULL, grant_types TEXT NOT NULL,
	issuer_url TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
	device_code_key TEXT PRIMARY KEY, user_code TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
	start_url TEXT NOT NULL, scopes TEXT NOT NULL, interval_ns INTEGER NOT NULL,
	expires_at INTEGER NOT NULL, last_polled_at INTEGER NOT NULL, status TEXT NOT NULL, username TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_requests (
	id TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, state TEXT NOT NULL,
	code_challenge TEXT NOT NULL, scopes TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS auth_codes (
	key TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL,
	scopes TEXT NOT NULL, username TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS access_tokens (
	key TEXT PRIMARY KEY, client_id TEXT NOT NULL, username TEXT NOT NULL, scopes TEXT NOT NULL,
	refresh_token_key TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS refresh_tokens (
	key TEXT PRIMARY KEY, client_id TEXT NOT NULL, username TEXT NOT NULL, scopes TEXT NOT NULL,
	expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS role_credentials (
	access_key_id TEXT PRIMARY KEY, secret_access_key TEXT NOT NULL, session_token TEXT NOT NULL,
	account_id TEXT NOT NULL, role_name TEXT NOT NULL, username TEXT NOT NULL, expiration INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS keys (name TEXT PRIMARY KEY, value BLOB NOT NULL);
`

// Store is a storage.Storage in a SQLite file.
//
// Writes go through a pool of one connection: SQLite allows one writer at a
// time anyway, and queueing in Go is far cheaper than SQLite's busy handler,
// which sleeps. Reads use their own pool and, thanks to WAL, never wait.
type Store struct {
	db    *sql.DB // writes (and the read-modify-write of Update)
	read  *sql.DB
	path  string
	stmts map[string]*sql.Stmt
}

var _ storage.Storage = (*Store)(nil)

// The statements, prepared once at Open.
var statements = map[string]string{
	"createClient": `INSERT INTO clients VALUES (?,?,?,?,?,?,?,?,?,?)`,
	"getClient":    `SELECT id, secret, name, type, scopes, redirect_uris, grant_types, issuer_url, issued_at, expires_at FROM clients WHERE id = ?`,

	"createDevice":       `INSERT INTO devices VALUES (?,?,?,?,?,?,?,?,?,?)`,
	"txGetDevice":        `SELECT device_code_key, user_code, client_id, start_url, scopes, interval_ns, expires_at, last_polled_at, status, username FROM devices WHERE device_code_key = ?`,
	"getDevice":          `SELECT device_code_key, user_code, client_id, start_url, scopes, interval_ns, expires_at, last_polled_at, status, username FROM devices WHERE device_code_key = ?`,
	"getDeviceByCode":    `SELECT device_code_key, user_code, client_id, start_url, scopes, interval_ns, expires_at, last_polled_at, status, username FROM devices WHERE user_code = ?`,
	"updateDevice":       `UPDATE devices SET client_id=?, start_url=?, scopes=?, interval_ns=?, expires_at=?, last_polled_at=?, status=?, username=? WHERE device_code_key = ?`,
	"createAuthRequest":  `INSERT INTO auth_requests VALUES (?,?,?,?,?,?,?)`,
	"getAuthRequest":     `SELECT id, client_id, redirect_uri, state, code_challenge, scopes, expires_at FROM auth_requests WHERE id = ?`,
	"deleteAuthRequest":  `DELETE FROM auth_requests WHERE id = ?`,
	"createAuthCode":     `INSERT INTO auth_codes VALUES (?,?,?,?,?,?,?)`,
	"getAuthCode":        `SELECT key, client_id, redirect_uri, code_challenge, scopes, username, expires_at FROM auth_codes WHERE key = ?`,
	"deleteAuthCode":     `DELETE FROM auth_codes WHERE key = ?`,
	"createAccessToken":  `INSERT INTO access_tokens VALUES (?,?,?,?,?,?)`,
	"getAccessToken":     `SELECT key, client_id, username, scopes, refresh_token_key, expires_at FROM access_tokens WHERE key = ?`,
	"deleteAccessToken":  `DELETE FROM access_tokens WHERE key = ?`,
	"createRefreshToken": `INSERT INTO refresh_tokens VALUES (?,?,?,?,?)`,
	"getRefreshToken":    `SELECT key, client_id, username, scopes, expires_at FROM refresh_tokens WHERE key = ?`,
	"deleteRefreshToken": `DELETE FROM refresh_tokens WHERE key = ?`,
	"createRoleCreds":    `INSERT INTO role_credentials VALUES (?,?,?,?,?,?,?)`,
	"getRoleCreds":       `SELECT access_key_id, secret_access_key, session_token, account_id, role_name, username, expiration FROM role_credentials WHERE access_key_id = ?`,
	"insertKey":          `INSERT OR IGNORE INTO keys VALUES (?,?)`,
	"getKey":             `SELECT value FROM keys WHERE name = ?`,
}

// gcTables lists each table and its expiry column, for GarbageCollect.
var gcTables = []struct{ table, column string }{
	{"clients", "expires_at"}, {"devices", "expires_at"}, {"auth_requests", "expires_at"},
	{"auth_codes", "expires_at"}, {"access_tokens", "expires_at"}, {"refresh_tokens", "expires_at"},
	{"role_credentials", "expiration"},
}

// Open opens (creating if needed) the database at path. Its folder is
// created with mode 0700 and the file with 0600: it holds live credentials.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open emulator database %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open emulator database %s: %w", path, err)
	}
	f.Close()

	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers take the lock up front: no deadlock on upgrade
	dsn := "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open emulator database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open emulator database %s: %w", path, err)
	}
	read.SetMaxIdleConns(4)
	s := &Store{db: db, read: read, path: path, stmts: map[string]*sql.Stmt{}}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open emulator database %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("not a SQLite database (delete it or pick another --db): %w", err)
	}
	if version > schemaVersion {
		return fmt.Errorf("written by a newer emulator (schema %d, this one knows %d); upgrade ssokit or pick another --db", version, schemaVersion)
	}
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	for name, query := range statements {
		db := s.db
		if strings.HasPrefix(name, "get") {
			db = s.read
		}
		st, err := db.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", name, err)
		}
		s.stmts[name] = st
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	for _, st := range s.stmts {
		st.Close()
	}
	return errors.Join(s.read.Close(), s.db.Close())
}

func ns(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func list(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func unlist(s string) ([]string, error) {
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("corrupt list %q: %w", s, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

// insert runs a create statement, turning a key clash into ErrAlreadyExists.
func (s *Store) insert(ctx context.Context, stmt string, args ...any) error {
	_, err := s.stmts[stmt].ExecContext(ctx, args...)
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return storage.ErrAlreadyExists
	}
	return err
}

func (s *Store) del(ctx context.Context, stmt, key string) error {
	res, err := s.stmts[stmt].ExecContext(ctx, key)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return storage.ErrNotFound
	}
	return err
}

// CreateClient implements storage.Storage.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	return s.insert(ctx, "createClient", c.ID, c.Secret, c.Name, c.Type, list(c.Scopes), list(c.RedirectURIs),
		list(c.GrantTypes), c.IssuerURL, ns(c.IssuedAt), ns(c.ExpiresAt))
}

// GetClient implements storage.Storage.
func (s *Store) GetClient(ctx context.Context, id string) (storage.Client, error) {
	var c storage.Client
	var scopes, redirects, grants string
	var issued, expires int64
	err := s.stmts["getClient"].QueryRowContext(ctx, id).Scan(&c.ID, &c.Secret, &c.Name, &c.Type, &scopes, &redirects, &grants, &c.IssuerURL, &issued, &expires)
	if err != nil {
		return storage.Client{}, notFound(err)
	}
	c.IssuedAt, c.ExpiresAt = fromNS(issued), fromNS(expires)
	if c.Scopes, err = unlist(scopes); err == nil {
		if c.RedirectURIs, err = unlist(redirects); err == nil {
			c.GrantTypes, err = unlist(grants)
		}
	}
	return c, err
}

// CreateDeviceAuth implements storage.Storage.
func (s *Store) CreateDeviceAuth(ctx context.Context, d storage.DeviceAuth) error {
	return s.insert(ctx, "createDevice", d.DeviceCodeKey, d.UserCode, d.ClientID, d.StartURL, list(d.Scopes),
		int64(d.Interval), ns(d.ExpiresAt), ns(d.LastPolledAt), string(d.Status), d.Username)
}

type scanner interface{ Scan(dest ...any) error }

func scanDevice(row scanner) (storage.DeviceAuth, error) {
	var d storage.DeviceAuth
	var scopes, status string
	var interval, expires, polled int64
	if err := row.Scan(&d.DeviceCodeKey, &d.UserCode, &d.ClientID, &d.StartURL, &scopes, &interval, &expires, &polled, &status, &d.Username); err != nil {
		return storage.DeviceAuth{}, notFound(err)
	}
	d.Interval, d.ExpiresAt, d.LastPolledAt, d.Status = time.Duration(interval), fromNS(expires), fromNS(polled), storage.DeviceStatus(status)
	var err error
	d.Scopes, err = unlist(scopes)
	return d, err
}

// GetDeviceAuth implements storage.Storage.
func (s *Store) GetDeviceAuth(ctx context.Context, key string) (storage.DeviceAuth, error) {
	return scanDevice(s.stmts["getDevice"].QueryRowContext(ctx, key))
}

// GetDeviceAuthByUserCode implements storage.Storage.
func (s *Store) GetDeviceAuthByUserCode(ctx context.Context, userCode string) (storage.DeviceAuth, error) {
	return scanDevice(s.stmts["getDeviceByCode"].QueryRowContext(ctx, userCode))
}

// UpdateDeviceAuth implements storage.Storage: read, fn and write happen in
// one immediate transaction, so concurrent updates (from any process) queue.
func (s *Store) UpdateDeviceAuth(ctx context.Context, key string, fn func(storage.DeviceAuth) (storage.DeviceAuth, error)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	old, err := scanDevice(tx.StmtContext(ctx, s.stmts["txGetDevice"]).QueryRowContext(ctx, key))
	if err != nil {
		return err
	}
	d, err := fn(old)
	if err != nil {
		return err
	}
	_, err = tx.StmtContext(ctx, s.stmts["updateDevice"]).ExecContext(ctx, d.ClientID, d.StartURL, list(d.Scopes),
		int64(d.Interval), ns(d.ExpiresAt), ns(d.LastPolledAt), string(d.Status), d.Username, key)
	if err != nil {
		return err
	}
	return tx.Commit()
}

// CreateAuthRequest implements storage.Storage.
func (s *Store) CreateAuthRequest(ctx context.Context, r storage.AuthRequest) error {
	return s.insert(ctx, "createAuthRequest", r.ID, r.ClientID, r.RedirectURI, r.State, r.CodeChallenge, list(r.Scopes), ns(r.ExpiresAt))
}

// GetAuthRequest implements storage.Storage.
func (s *Store) GetAuthRequest(ctx context.Context, id string) (storage.AuthRequest, error) {
	var r storage.AuthRequest
	var scopes string
	var expires int64
	if err := s.stmts["getAuthRequest"].QueryRowContext(ctx, id).Scan(&r.ID, &r.ClientID, &r.RedirectURI, &r.State, &r.CodeChallenge, &scopes, &expires); err != nil {
		return storage.AuthRequest{}, notFound(err)
	}
	r.ExpiresAt = fromNS(expires)
	var err error
	r.Scopes, err = unlist(scopes)
	return r, err
}

// DeleteAuthRequest implements storage.Storage.
func (s *Store) DeleteAuthRequest(ctx context.Context, id string) error {
	return s.del(ctx, "deleteAuthRequest", id)
}

// CreateAuthCode implements storage.Storage.
func (s *Store) CreateAuthCode(ctx context.Context, c storage.AuthCode) error {
	return s.insert(ctx, "createAuthCode", c.Key, c.ClientID, c.RedirectURI, c.CodeChallenge, list(c.Scopes), c.Username, ns(c.ExpiresAt))
}

// GetAuthCode implements storage.Storage.
func (s *Store) GetAuthCode(ctx context.Context, key string) (storage.AuthCode, error) {
	var c storage.AuthCode
	var scopes string
	var expires int64
	if err := s.stmts["getAuthCode"].QueryRowContext(ctx, key).Scan(&c.Key, &c.ClientID, &c.RedirectURI, &c.CodeChallenge, &scopes, &c.Username, &expires); err != nil {
		return storage.AuthCode{}, notFound(err)
	}
	c.ExpiresAt = fromNS(expires)
	var err error
	c.Scopes, err = unlist(scopes)
	return c, err
}

// DeleteAuthCode implements storage.Storage.
func (s *Store) DeleteAuthCode(ctx context.Context, key string) error {
	return s.del(ctx, "deleteAuthCode", key)
}

// CreateAccessToken implements storage.Storage.
func (s *Store) CreateAccessToken(ctx context.Context, t storage.AccessToken) error {
	return s.insert(ctx, "createAccessToken", t.Key, t.ClientID, t.Username, list(t.Scopes), t.RefreshTokenKey, ns(t.ExpiresAt))
}

// GetAccessToken implements storage.Storage.
func (s *Store) GetAccessToken(ctx context.Context, key string) (storage.AccessToken, error) {
	var t storage.AccessToken
	var scopes string
	var expires int64
	if err := s.stmts["getAccessToken"].QueryRowContext(ctx, key).Scan(&t.Key, &t.ClientID, &t.Username, &scopes, &t.RefreshTokenKey, &expires); err != nil {
		return storage.AccessToken{}, notFound(err)
	}
	t.ExpiresAt = fromNS(expires)
	var err error
	t.Scopes, err = unlist(scopes)
	return t, err
}

// DeleteAccessToken implements storage.Storage.
func (s *Store) DeleteAccessToken(ctx context.Context, key string) error {
	return s.del(ctx, "deleteAccessToken", key)
}

// CreateRefreshToken implements storage.Storage.
func (s *Store) CreateRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	return s.insert(ctx, "createRefreshToken", t.Key, t.ClientID, t.Username, list(t.Scopes), ns(t.ExpiresAt))
}

// GetRefreshToken implements storage.Storage.
func (s *Store) GetRefreshToken(ctx context.Context, key string) (storage.RefreshToken, error) {
	var t storage.RefreshToken
	var scopes string
	var expires int64
	if err := s.stmts["getRefreshToken"].QueryRowContext(ctx, key).Scan(&t.Key, &t.ClientID, &t.Username, &scopes, &expires); err != nil {
		return storage.RefreshToken{}, notFound(err)
	}
	t.ExpiresAt = fromNS(expires)
	var err error
	t.Scopes, err = unlist(scopes)
	return t, err
}

// DeleteRefreshToken implements storage.Storage.
func (s *Store) DeleteRefreshToken(ctx context.Context, key string) error {
	return s.del(ctx, "deleteRefreshToken", key)
}

// CreateRoleCredentials implements storage.Storage.
func (s *Store) CreateRoleCredentials(ctx context.Context, c storage.RoleCredentials) error {
	return s.insert(ctx, "createRoleCreds", c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.AccountID, c.RoleName, c.Username, ns(c.Expiration))
}

// GetRoleCredentials implements storage.Storage.
func (s *Store) GetRoleCredentials(ctx context.Context, accessKeyID string) (storage.RoleCredentials, error) {
	var c storage.RoleCredentials
	var exp int64
	if err := s.stmts["getRoleCreds"].QueryRowContext(ctx, accessKeyID).Scan(&c.AccessKeyID, &c.SecretAccessKey, &c.SessionToken, &c.AccountID, &c.RoleName, &c.Username, &exp); err != nil {
		return storage.RoleCredentials{}, notFound(err)
	}
	c.Expiration = fromNS(exp)
	return c, nil
}

// GetOrCreateKey implements storage.Storage. INSERT OR IGNORE makes the
// first writer win; everyone then reads what was stored.
func (s *Store) GetOrCreateKey(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error) {
	var k []byte
	err := s.stmts["getKey"].QueryRowContext(ctx, name).Scan(&k)
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	fresh, err := create()
	if err != nil {
		return nil, err
	}
	if _, err := s.stmts["insertKey"].ExecContext(ctx, name, fresh); err != nil {
		return nil, err
	}
	if err := s.stmts["getKey"].QueryRowContext(ctx, name).Scan(&k); err != nil {
		return nil, err
	}
	return k, nil
}

// GarbageCollect implements storage.Storage.
func (s *Store) GarbageCollect(ctx context.Context, now time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var total int64
	for _, t := range gcTables {
		res, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s < ?", t.table, t.column), now.UnixNano())
		if err != nil {
			return 0, fmt.Errorf("collect %s: %w", t.table, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, tx.Commit()
}
