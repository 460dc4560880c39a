package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ssokit/ssokit/emulator/storage"
)

// Store is an in-memory storage.Storage. The zero value is not usable; call New.
type Store struct {
	mu            sync.RWMutex
	clients       map[string]storage.Client
	devices       map[string]storage.DeviceAuth
	userCodes     map[string]string // user code → device code key
	authRequests  map[string]storage.AuthRequest
	authCodes     map[string]storage.AuthCode
	accessTokens  map[string]storage.AccessToken
	refreshTokens map[string]storage.RefreshToken
	roleCreds     map[string]storage.RoleCredentials
	keys          map[string][]byte
}

var _ storage.Storage = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		clients:       map[string]storage.Client{},
		devices:       map[string]storage.DeviceAuth{},
		userCodes:     map[string]string{},
		authRequests:  map[string]storage.AuthRequest{},
		authCodes:     map[string]storage.AuthCode{},
		accessTokens:  map[string]storage.AccessToken{},
		refreshTokens: map[string]storage.RefreshToken{},
		roleCreds:     map[string]storage.RoleCredentials{},
		keys:          map[string][]byte{},
	}
}

// Values are copied in and out so a caller changing a slice it got back
// cannot change what is stored.

func create[T any](s *Store, m map[string]T, key string, v T) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := m[key]; ok {
		return storage.ErrAlreadyExists
	}
	m[key] = v
	return nil
}

func get[T any](s *Store, m map[string]T, key string, clone func(T) T) (T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := m[key]
	if !ok {
		var zero T
		return zero, storage.ErrNotFound
	}
	return clone(v), nil
}

func del[T any](s *Store, m map[string]T, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := m[key]; !ok {
		return storage.ErrNotFound
	}
	delete(m, key)
	return nil
}

func cloneClient(c storage.Client) storage.Client {
	c.Scopes, c.RedirectURIs, c.GrantTypes = slices.Clone(c.Scopes), slices.Clone(c.RedirectURIs), slices.Clone(c.GrantTypes)
	return c
}

func cloneDevice(d storage.DeviceAuth) storage.DeviceAuth {
	d.Scopes = slices.Clone(d.Scopes)
	return d
}

func cloneAuthRequest(r storage.AuthRequest) storage.AuthRequest {
	r.Scopes = slices.Clone(r.Scopes)
	return r
}

func cloneAuthCode(c storage.AuthCode) storage.AuthCode {
	c.Scopes = slices.Clone(c.Scopes)
	return c
}

func cloneAccessToken(t storage.AccessToken) storage.AccessToken {
	t.Scopes = slices.Clone(t.Scopes)
	return t
}

func cloneRefreshToken(t storage.RefreshToken) storage.RefreshToken {
	t.Scopes = slices.Clone(t.Scopes)
	return t
}

func same[T any](v T) T { return v }

// CreateClient implements storage.Storage.
func (s *Store) CreateClient(_ context.Context, c storage.Client) error {
	return create(s, s.clients, c.ID, cloneClient(c))
}

// GetClient implements storage.Storage.
func (s *Store) GetClient(_ context.Context, id string) (storage.Client, error) {
	return get(s, s.clients, id, cloneClient)
}

// CreateDeviceAuth implements storage.Storage.
func (s *Store) CreateDeviceAuth(_ context.Context, d storage.DeviceAuth) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.devices[d.DeviceCodeKey]; ok {
		return storage.ErrAlreadyExists
	}
	if _, ok := s.userCodes[d.UserCode]; ok {
		return storage.ErrAlreadyExists
	}
	s.devices[d.DeviceCodeKey] = cloneDevice(d)
	s.userCodes[d.UserCode] = d.DeviceCodeKey
	return nil
}

// GetDeviceAuth implements storage.Storage.
func (s *Store) GetDeviceAuth(_ context.Context, key string) (storage.DeviceAuth, error) {
	return get(s, s.devices, key, cloneDevice)
}

// GetDeviceAuthByUserCode implements storage.Storage.
func (s *Store) GetDeviceAuthByUserCode(_ context.Context, userCode string) (storage.DeviceAuth, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, ok := s.userCodes[userCode]
	if !ok {
		return storage.DeviceAuth{}, storage.ErrNotFound
	}
	return cloneDevice(s.devices[key]), nil
}

// UpdateDeviceAuth implements storage.Storage. The key fields (device code
// key and user code) cannot be changed.
func (s *Store) UpdateDeviceAuth(_ context.Context, key string, fn func(storage.DeviceAuth) (storage.DeviceAuth, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.devices[key]
	if !ok {
		return storage.ErrNotFound
	}
	updated, err := fn(cloneDevice(old))
	if err != nil {
		return err
	}
	updated.DeviceCodeKey, updated.UserCode = old.DeviceCodeKey, old.UserCode
	s.devices[key] = cloneDevice(updated)
	return nil
}

// CreateAuthRequest implements storage.Storage.
func (s *Store) CreateAuthRequest(_ context.Context, r storage.AuthRequest) error {
	return create(s, s.authRequests, r.ID, cloneAuthRequest(r))
}

// GetAuthRequest implements storage.Storage.
func (s *Store) GetAuthRequest(_ context.Context, id string) (storage.AuthRequest, error) {
	return get(s, s.authRequests, id, cloneAuthRequest)
}

// DeleteAuthRequest implements storage.Storage.
func (s *Store) DeleteAuthRequest(_ context.Context, id string) error {
	return del(s, s.authRequests, id)
}

// CreateAuthCode implements storage.Storage.
func (s *Store) CreateAuthCode(_ context.Context, c storage.AuthCode) error {
	return create(s, s.authCodes, c.Key, cloneAuthCode(c))
}

// GetAuthCode implements storage.Storage.
func (s *Store) GetAuthCode(_ context.Context, key string) (storage.AuthCode, error) {
	return get(s, s.authCodes, key, cloneAuthCode)
}

// DeleteAuthCode implements storage.Storage.
func (s *Store) DeleteAuthCode(_ context.Context, key string) error {
	return del(s, s.authCodes, key)
}

// CreateAccessToken implements storage.Storage.
func (s *Store) CreateAccessToken(_ context.Context, t storage.AccessToken) error {
	return create(s, s.accessTokens, t.Key, cloneAccessToken(t))
}

// GetAccessToken implements storage.Storage.
func (s *Store) GetAccessToken(_ context.Context, key string) (storage.AccessToken, error) {
	return get(s, s.accessTokens, key, cloneAccessToken)
}

// DeleteAccessToken implements storage.Storage.
func (s *Store) DeleteAccessToken(_ context.Context, key string) error {
	return del(s, s.accessTokens, key)
}

// CreateRefreshToken implements storage.Storage.
func (s *Store) CreateRefreshToken(_ context.Context, t storage.RefreshToken) error {
	return create(s, s.refreshTokens, t.Key, cloneRefreshToken(t))
}

// GetRefreshToken implements storage.Storage.
func (s *Store) GetRefreshToken(_ context.Context, key string) (storage.RefreshToken, error) {
	return get(s, s.refreshTokens, key, cloneRefreshToken)
}

// DeleteRefreshToken implements storage.Storage.
func (s *Store) DeleteRefreshToken(_ context.Context, key string) error {
	return del(s, s.refreshTokens, key)
}

// CreateRoleCredentials implements storage.Storage.
func (s *Store) CreateRoleCredentials(_ context.Context, c storage.RoleCredentials) error {
	return create(s, s.roleCreds, c.AccessKeyID, c)
}

// GetRoleCredentials implements storage.Storage.
func (s *Store) GetRoleCredentials(_ context.Context, accessKeyID string) (storage.RoleCredentials, error) {
	return get(s, s.roleCreds, accessKeyID, same)
}

// GetOrCreateKey implements storage.Storage.
func (s *Store) GetOrCreateKey(_ context.Context, name string, newKey func() ([]byte, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[name]; ok {
		return slices.Clone(k), nil
	}
	k, err := newKey()
	if err != nil {
		return nil, err
	}
	s.keys[name] = slices.Clone(k)
	return k, nil
}

// GarbageCollect implements storage.Storage.
func (s *Store) GarbageCollect(_ context.Context, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := sweep(s.clients, now, func(v storage.Client) time.Time { return v.ExpiresAt })
	n += sweep(s.devices, now, func(v storage.DeviceAuth) time.Time {
		if v.ExpiresAt.Before(now) {
			delete(s.userCodes, v.UserCode)
		}
		return v.ExpiresAt
	})
	n += sweep(s.authRequests, now, func(v storage.AuthRequest) time.Time { return v.ExpiresAt })
	n += sweep(s.authCodes, now, func(v storage.AuthCode) time.Time { return v.ExpiresAt })
	n += sweep(s.accessTokens, now, func(v storage.AccessToken) time.Time { return v.ExpiresAt })
	n += sweep(s.refreshTokens, now, func(v storage.RefreshToken) time.Time { return v.ExpiresAt })
	n += sweep(s.roleCreds, now, func(v storage.RoleCredentials) time.Time { return v.Expiration })
	return n, nil
}

func sweep[T any](m map[string]T, now time.Time, expiry func(T) time.Time) int64 {
	var n int64
	for k, v := range m {
		if expiry(v).Before(now) {
			delete(m, k)
			n++
		}
	}
	return n
}

// Close implements storage.Storage; there is nothing to release.
func (s *Store) Close() error { return nil }
