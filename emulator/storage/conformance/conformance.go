package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/storage"
)

// Run tests the store newStore opens. Each subtest gets a fresh store and
// closes it.
func Run(t *testing.T, newStore func(t *testing.T) storage.Storage) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.Storage)
	}{
		{"clients are created once and read back whole", testClients},
		{"device authorizations are found by device code and by user code", testDeviceAuth},
		{"a device update applies fn to the current value", testDeviceUpdate},
		{"concurrent device updates are all applied", testDeviceUpdateConcurrent},
		{"authorization requests are created, read and deleted", testAuthRequests},
		{"an authorization code can be taken once", testAuthCodes},
		{"concurrent takes of one code: exactly one wins", testAuthCodeRace},
		{"access and refresh tokens are created, read and deleted", testTokens},
		{"role credentials are kept with their secret", testRoleCredentials},
		{"a key is created once and then returned", testKeys},
		{"concurrent first key reads agree", testKeysConcurrent},
		{"garbage collection removes only what expired", testGarbageCollect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// now is a fixed instant with sub-second precision, in a non-UTC zone, so a
// backend that drops nanoseconds or zones is caught by cmp (which uses Equal).
var now = time.Date(2026, 11, 26, 21, 0, 0, 123456789, time.FixedZone("X", 3600))

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func testClients(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	c := storage.Client{
		ID: "cl-1", Secret: "sec", Name: "botocore-client-x", Type: "public",
		Scopes: []string{"sso:account:access"}, RedirectURIs: []string{"http://127.0.0.1/oauth/callback"},
		GrantTypes: []string{"authorization_code", "refresh_token"}, IssuerURL: "https://d-1.awsapps.com/start",
		IssuedAt: now, ExpiresAt: now.Add(90 * 24 * time.Hour),
	}
	must(t, "CreateClient", s.CreateClient(ctx, c))
	got, err := s.GetClient(ctx, "cl-1")
	must(t, "GetClient", err)
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("GetClient (-want +got):\n%s", diff)
	}
	got.Scopes[0] = "changed"
	again, _ := s.GetClient(ctx, "cl-1")
	if again.Scopes[0] != "sso:account:access" {
		t.Error("changing a returned slice changed the stored client")
	}
	wantErr(t, "CreateClient twice", s.CreateClient(ctx, c), storage.ErrAlreadyExists)
	_, err = s.GetClient(ctx, "cl-2")
	wantErr(t, "GetClient unknown", err, storage.ErrNotFound)

	bare := storage.Client{ID: "cl-bare", Secret: "s", IssuedAt: now, ExpiresAt: now}
	must(t, "CreateClient without lists", s.CreateClient(ctx, bare))
	got, err = s.GetClient(ctx, "cl-bare")
	must(t, "GetClient bare", err)
	if len(got.Scopes)+len(got.GrantTypes)+len(got.RedirectURIs) != 0 {
		t.Errorf("empty lists came back as %+v", got)
	}
}

func device(key, userCode string) storage.DeviceAuth {
	return storage.DeviceAuth{
		DeviceCodeKey: key, UserCode: userCode, ClientID: "cl-1",
		StartURL: "https://d-1.awsapps.com/start", Scopes: []string{"sso:account:access"},
		Interval: time.Second, ExpiresAt: now.Add(10 * time.Minute), Status: storage.DevicePending,
	}
}

func testDeviceAuth(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	d := device("dk-1", "ABCDEFGH")
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, d))
	got, err := s.GetDeviceAuth(ctx, "dk-1")
	must(t, "GetDeviceAuth", err)
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("GetDeviceAuth (-want +got):\n%s", diff)
	}
	got, err = s.GetDeviceAuthByUserCode(ctx, "ABCDEFGH")
	must(t, "GetDeviceAuthByUserCode", err)
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("GetDeviceAuthByUserCode (-want +got):\n%s", diff)
	}
	wantErr(t, "CreateDeviceAuth same key", s.CreateDeviceAuth(ctx, device("dk-1", "OTHERCOD")), storage.ErrAlreadyExists)
	wantErr(t, "CreateDeviceAuth same user code", s.CreateDeviceAuth(ctx, device("dk-2", "ABCDEFGH")), storage.ErrAlreadyExists)
	_, err = s.GetDeviceAuth(ctx, "dk-2")
	wantErr(t, "GetDeviceAuth after refused create", err, storage.ErrNotFound)
	_, err = s.GetDeviceAuthByUserCode(ctx, "ZZZZZZZZ")
	wantErr(t, "GetDeviceAuthByUserCode unknown", err, storage.ErrNotFound)
}

func testDeviceUpdate(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, device("dk-1", "ABCDEFGH")))
	polled := now.Add(time.Second)
	must(t, "UpdateDeviceAuth", s.UpdateDeviceAuth(ctx, "dk-1", func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		if d.Status != storage.DevicePending {
			return d, fmt.Errorf("fn saw status %q", d.Status)
		}
		d.Status, d.Username, d.LastPolledAt = storage.DeviceApproved, "demo", polled
		return d, nil
	}))
	got, err := s.GetDeviceAuthByUserCode(ctx, "ABCDEFGH")
	must(t, "GetDeviceAuthByUserCode", err)
	want := device("dk-1", "ABCDEFGH")
	want.Status, want.Username, want.LastPolledAt = storage.DeviceApproved, "demo", polled
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}

	boom := errors.New("boom")
	err = s.UpdateDeviceAuth(ctx, "dk-1", func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		d.Status = storage.DeviceDenied
		return d, boom
	})
	wantErr(t, "UpdateDeviceAuth whose fn fails", err, boom)
	got, _ = s.GetDeviceAuth(ctx, "dk-1")
	if got.Status != storage.DeviceApproved {
		t.Errorf("a failed update changed the status to %q", got.Status)
	}
	err = s.UpdateDeviceAuth(ctx, "nope", func(d storage.DeviceAuth) (storage.DeviceAuth, error) { return d, nil })
	wantErr(t, "UpdateDeviceAuth unknown", err, storage.ErrNotFound)
}

func testDeviceUpdateConcurrent(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, device("dk-1", "ABCDEFGH")))
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := s.UpdateDeviceAuth(ctx, "dk-1", func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
				d.Interval += time.Second
				return d, nil
			})
			if err != nil {
				t.Errorf("UpdateDeviceAuth: %v", err)
			}
		})
	}
	wg.Wait()
	got, _ := s.GetDeviceAuth(ctx, "dk-1")
	if want := time.Second + n*time.Second; got.Interval != want {
		t.Errorf("after %d concurrent increments Interval = %s, want %s (lost updates)", n, got.Interval, want)
	}
}

func testAuthRequests(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	r := storage.AuthRequest{
		ID: "req-1", ClientID: "cl-1", RedirectURI: "http://127.0.0.1:5000/oauth/callback", State: "st",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Scopes: []string{"a", "b"}, ExpiresAt: now,
	}
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, r))
	wantErr(t, "CreateAuthRequest twice", s.CreateAuthRequest(ctx, r), storage.ErrAlreadyExists)
	got, err := s.GetAuthRequest(ctx, "req-1")
	must(t, "GetAuthRequest", err)
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("GetAuthRequest (-want +got):\n%s", diff)
	}
	must(t, "DeleteAuthRequest", s.DeleteAuthRequest(ctx, "req-1"))
	wantErr(t, "DeleteAuthRequest twice", s.DeleteAuthRequest(ctx, "req-1"), storage.ErrNotFound)
	_, err = s.GetAuthRequest(ctx, "req-1")
	wantErr(t, "GetAuthRequest after delete", err, storage.ErrNotFound)
}

func testAuthCodes(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	c := storage.AuthCode{
		Key: "ck-1", ClientID: "cl-1", RedirectURI: "http://127.0.0.1:5000/oauth/callback",
		CodeChallenge: "ch", Scopes: []string{"sso:account:access"}, Username: "demo", ExpiresAt: now,
	}
	must(t, "CreateAuthCode", s.CreateAuthCode(ctx, c))
	got, err := s.GetAuthCode(ctx, "ck-1")
	must(t, "GetAuthCode", err)
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("GetAuthCode (-want +got):\n%s", diff)
	}
	must(t, "DeleteAuthCode", s.DeleteAuthCode(ctx, "ck-1"))
	wantErr(t, "DeleteAuthCode twice", s.DeleteAuthCode(ctx, "ck-1"), storage.ErrNotFound)
	_, err = s.GetAuthCode(ctx, "ck-1")
	wantErr(t, "GetAuthCode after delete", err, storage.ErrNotFound)
}

func testAuthCodeRace(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	must(t, "CreateAuthCode", s.CreateAuthCode(ctx, storage.AuthCode{Key: "ck-1", ExpiresAt: now}))
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			switch err := s.DeleteAuthCode(ctx, "ck-1"); {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, storage.ErrNotFound):
				t.Errorf("DeleteAuthCode: %v", err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d concurrent deletes succeeded, want exactly 1", wins.Load())
	}
}

func testTokens(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	at := storage.AccessToken{Key: "at-1", ClientID: "cl-1", Username: "demo", Scopes: []string{"sso:account:access"}, RefreshTokenKey: "rt-1", ExpiresAt: now}
	rt := storage.RefreshToken{Key: "rt-1", ClientID: "cl-1", Username: "demo", Scopes: []string{"sso:account:access"}, ExpiresAt: now.Add(time.Hour)}
	must(t, "CreateAccessToken", s.CreateAccessToken(ctx, at))
	must(t, "CreateRefreshToken", s.CreateRefreshToken(ctx, rt))
	wantErr(t, "CreateAccessToken twice", s.CreateAccessToken(ctx, at), storage.ErrAlreadyExists)
	wantErr(t, "CreateRefreshToken twice", s.CreateRefreshToken(ctx, rt), storage.ErrAlreadyExists)

	gotAT, err := s.GetAccessToken(ctx, "at-1")
	must(t, "GetAccessToken", err)
	if diff := cmp.Diff(at, gotAT); diff != "" {
		t.Errorf("GetAccessToken (-want +got):\n%s", diff)
	}
	gotRT, err := s.GetRefreshToken(ctx, "rt-1")
	must(t, "GetRefreshToken", err)
	if diff := cmp.Diff(rt, gotRT); diff != "" {
		t.Errorf("GetRefreshToken (-want +got):\n%s", diff)
	}
	_, err = s.GetRefreshToken(ctx, "at-1")
	wantErr(t, "GetRefreshToken with an access token's key", err, storage.ErrNotFound)

	must(t, "DeleteAccessToken", s.DeleteAccessToken(ctx, "at-1"))
	must(t, "DeleteRefreshToken", s.DeleteRefreshToken(ctx, "rt-1"))
	wantErr(t, "DeleteAccessToken twice", s.DeleteAccessToken(ctx, "at-1"), storage.ErrNotFound)
	wantErr(t, "DeleteRefreshToken twice", s.DeleteRefreshToken(ctx, "rt-1"), storage.ErrNotFound)
	_, err = s.GetAccessToken(ctx, "at-1")
	wantErr(t, "GetAccessToken after delete", err, storage.ErrNotFound)
}

func testRoleCredentials(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	c := storage.RoleCredentials{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token",
		AccountID: "123456789011", RoleName: "readOnly", Username: "demo", Expiration: now,
	}
	must(t, "CreateRoleCredentials", s.CreateRoleCredentials(ctx, c))
	wantErr(t, "CreateRoleCredentials twice", s.CreateRoleCredentials(ctx, c), storage.ErrAlreadyExists)
	got, err := s.GetRoleCredentials(ctx, "ASIAEXAMPLE")
	must(t, "GetRoleCredentials", err)
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("GetRoleCredentials (-want +got):\n%s", diff)
	}
	_, err = s.GetRoleCredentials(ctx, "ASIAOTHER")
	wantErr(t, "GetRoleCredentials unknown", err, storage.ErrNotFound)
}

func testKeys(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	calls := 0
	newKey := func() ([]byte, error) { calls++; return []byte{1, 2, 3, byte(calls)}, nil }
	k1, err := s.GetOrCreateKey(ctx, "federation", newKey)
	must(t, "GetOrCreateKey first", err)
	k2, err := s.GetOrCreateKey(ctx, "federation", newKey)
	must(t, "GetOrCreateKey second", err)
	if diff := cmp.Diff(k1, k2); diff != "" || calls != 1 {
		t.Errorf("second read created a new key (calls=%d):\n%s", calls, diff)
	}
	other, err := s.GetOrCreateKey(ctx, "cookies", newKey)
	must(t, "GetOrCreateKey other name", err)
	if cmp.Equal(k1, other) {
		t.Error("two names share one key")
	}
	boom := errors.New("no entropy")
	_, err = s.GetOrCreateKey(ctx, "broken", func() ([]byte, error) { return nil, boom })
	wantErr(t, "GetOrCreateKey whose create fails", err, boom)
	k3, err := s.GetOrCreateKey(ctx, "broken", newKey)
	must(t, "GetOrCreateKey after a failed create", err)
	if len(k3) != 4 {
		t.Errorf("key after failed create = %v", k3)
	}
}

func testKeysConcurrent(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	var counter atomic.Int32
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := s.GetOrCreateKey(ctx, "shared", func() ([]byte, error) {
				return []byte(fmt.Sprint("key-", counter.Add(1))), nil
			})
			if err != nil {
				t.Errorf("GetOrCreateKey: %v", err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i := range keys {
		if !cmp.Equal(keys[i], keys[0]) {
			t.Fatalf("caller %d got %q, caller 0 got %q", i, keys[i], keys[0])
		}
	}
}

func testGarbageCollect(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	past, future := now.Add(-time.Minute), now.Add(time.Minute)
	for i, exp := range []time.Time{past, future} {
		id := fmt.Sprint(i)
		must(t, "CreateClient", s.CreateClient(ctx, storage.Client{ID: "cl-" + id, IssuedAt: now, ExpiresAt: exp}))
		d := device("dk-"+id, "CODE000"+id)
		d.ExpiresAt = exp
		must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, d))
		must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, storage.AuthRequest{ID: "req-" + id, ExpiresAt: exp}))
		must(t, "CreateAuthCode", s.CreateAuthCode(ctx, storage.AuthCode{Key: "ck-" + id, ExpiresAt: exp}))
		must(t, "CreateAccessToken", s.CreateAccessToken(ctx, storage.AccessToken{Key: "at-" + id, ExpiresAt: exp}))
		must(t, "CreateRefreshToken", s.CreateRefreshToken(ctx, storage.RefreshToken{Key: "rt-" + id, ExpiresAt: exp}))
		must(t, "CreateRoleCredentials", s.CreateRoleCredentials(ctx, storage.RoleCredentials{AccessKeyID: "AK" + id, Expiration: exp}))
	}
	n, err := s.GarbageCollect(ctx, now)
	must(t, "GarbageCollect", err)
	if n != 7 {
		t.Errorf("GarbageCollect removed %d records, want 7", n)
	}
	for _, tc := range []struct {
		what string
		get  func(id string) error
	}{
		{"client", func(id string) error { _, err := s.GetClient(ctx, "cl-"+id); return err }},
		{"device", func(id string) error { _, err := s.GetDeviceAuth(ctx, "dk-"+id); return err }},
		{"device by user code", func(id string) error { _, err := s.GetDeviceAuthByUserCode(ctx, "CODE000"+id); return err }},
		{"auth request", func(id string) error { _, err := s.GetAuthRequest(ctx, "req-"+id); return err }},
		{"auth code", func(id string) error { _, err := s.GetAuthCode(ctx, "ck-"+id); return err }},
		{"access token", func(id string) error { _, err := s.GetAccessToken(ctx, "at-"+id); return err }},
		{"refresh token", func(id string) error { _, err := s.GetRefreshToken(ctx, "rt-"+id); return err }},
		{"role credentials", func(id string) error { _, err := s.GetRoleCredentials(ctx, "AK"+id); return err }},
	} {
		wantErr(t, "expired "+tc.what, tc.get("0"), storage.ErrNotFound)
		must(t, "live "+tc.what, tc.get("1"))
	}
	// The user code of a collected device authorization can be handed out again.
	must(t, "CreateDeviceAuth reusing a collected user code", s.CreateDeviceAuth(ctx, device("dk-new", "CODE0000")))
}
