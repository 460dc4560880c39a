package storage

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"
)

// ErrNotFound means the record does not exist (or has been deleted).
var ErrNotFound = errors.New("not found")

// ErrAlreadyExists means a Create used a key that is taken.
var ErrAlreadyExists = errors.New("already exists")

// Storage is everything the emulator persists. Implementations are safe for
// concurrent use, by goroutines and (sqlite) by processes.
type Storage interface {
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, id string) (Client, error)

	CreateDeviceAuth(ctx context.Context, d DeviceAuth) error
	GetDeviceAuth(ctx context.Context, deviceCodeKey string) (DeviceAuth, error)
	// GetDeviceAuthByUserCode finds a device authorization by its
	// normalised user code (upper case, no hyphen).
	GetDeviceAuthByUserCode(ctx context.Context, userCode string) (DeviceAuth, error)
	UpdateDeviceAuth(ctx context.Context, deviceCodeKey string, fn func(DeviceAuth) (DeviceAuth, error)) error

	CreateAuthRequest(ctx context.Context, r AuthRequest) error
	GetAuthRequest(ctx context.Context, id string) (AuthRequest, error)
	DeleteAuthRequest(ctx context.Context, id string) error

	CreateAuthCode(ctx context.Context, c AuthCode) error
	GetAuthCode(ctx context.Context, key string) (AuthCode, error)
	DeleteAuthCode(ctx context.Context, key string) error

	CreateAccessToken(ctx context.Context, t AccessToken) error
	GetAccessToken(ctx context.Context, key string) (AccessToken, error)
	DeleteAccessToken(ctx context.Context, key string) error

	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	GetRefreshToken(ctx context.Context, key string) (RefreshToken, error)
	DeleteRefreshToken(ctx context.Context, key string) error

	CreateRoleCredentials(ctx context.Context, c RoleCredentials) error
	GetRoleCredentials(ctx context.Context, accessKeyID string) (RoleCredentials, error)

	// GetOrCreateKey returns the secret stored under name, storing the
	// result of create first if there is none. Concurrent first calls all
	// get the same secret.
	GetOrCreateKey(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error)

	// GarbageCollect deletes everything that expired before now and reports
	// how many records went.
	GarbageCollect(ctx context.Context, now time.Time) (int64, error)

	Close() error
}

// Client is a RegisterClient registration.
type Client struct {
	ID           string
	Secret       string // returned to the client; compared in constant time
	Name         string
	Type         string
	Scopes       []string
	RedirectURIs []string
	GrantTypes   []string
	IssuerURL    string
	IssuedAt     time.Time
	ExpiresAt    time.Time
}

// DeviceStatus is where a device authorization stands.
type DeviceStatus string

// The device authorization state machine: Pending → Approved | Denied; an
// Approved one becomes Used when its token is issued.
const (
	DevicePending  DeviceStatus = "pending"
	DeviceApproved DeviceStatus = "approved"
	DeviceDenied   DeviceStatus = "denied"
	DeviceUsed     DeviceStatus = "used"
)

// DeviceAuth is a StartDeviceAuthorization in progress.
type DeviceAuth struct {
	DeviceCodeKey string // Key(deviceCode)
	UserCode      string // normalised: upper case, no hyphen
	ClientID      string
	StartURL      string
	Scopes        []string
	Interval      time.Duration
	ExpiresAt     time.Time
	LastPolledAt  time.Time // zero until the first CreateToken
	Status        DeviceStatus
	Username      string // who approved
}

// AuthRequest is a validated GET /authorize waiting for the user's consent.
type AuthRequest struct {
	ID            string
	ClientID      string
	RedirectURI   string // as sent, with the loopback port
	State         string
	CodeChallenge string
	Scopes        []string
	ExpiresAt     time.Time
}

// AuthCode is an authorization code issued after consent; single use.
type AuthCode struct {
	Key           string // Key(code)
	ClientID      string
	RedirectURI   string
	CodeChallenge string
	Scopes        []string
	Username      string
	ExpiresAt     time.Time
}

// AccessToken is a bearer token for the portal API.
type AccessToken struct {
	Key             string // Key(token)
	ClientID        string
	Username        string
	Scopes          []string
	RefreshTokenKey string // the refresh token issued with it, "" if none
	ExpiresAt       time.Time
}

// RefreshToken redeems for a new access token (and a new refresh token).
type RefreshToken struct {
	Key       string // Key(token)
	ClientID  string
	Username  string
	Scopes    []string
	ExpiresAt time.Time
}

// RoleCredentials are STS-style credentials handed out by GetRoleCredentials
// or AssumeRole. The secret is kept in the clear because STS must recompute
// signatures.
type RoleCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	AccountID       string
	// RoleName is the permission set for credentials from the portal, the
	// role's ARN (arn:aws:iam::...) for credentials from AssumeRole.
	RoleName string
	// Username is the user the portal gave the credentials to, or the
	// role session name of AssumeRole.
	Username   string
	Expiration time.Time
}

// Key is how a bearer secret is stored: a hash, so a copy of the store does
// not hand out working tokens.
func Key(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
