package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/internal/fileutil"
)

// Config describes an emulator the way its command line does; Launch turns
// it into a running server. `ssokit emulator` and `ssokit demo` share it.
type Config struct {
	// Addr to listen on (DefaultAddr when empty; port 0 picks one).
	Addr string
	// AllowRemote lets Addr be reachable from other machines (any host but
	// a loopback one); without it Launch refuses such an address.
	AllowRemote bool
	StartURL    string
	Region      string
	// DirectoryFile is a YAML directory; empty means the demo directory,
	// or a generated one when GenerateAccounts > 0.
	DirectoryFile    string
	GenerateAccounts int
	RolesPerAccount  int
	// DemoPassword replaces the random password of user "demo" in the
	// built-in and generated directories.
	DemoPassword string
	// Store is "sqlite" (default) or "memory"; DBPath is the SQLite file.
	Store  string
	DBPath string

	AutoApprove     string
	AccessTokenTTL  time.Duration
	SessionDuration time.Duration
	Faults          Faults
	Logger          *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// TLS serves HTTPS with a CA made at start, whose certificate Launch
	// writes to CAFile (PEM) for clients' AWS_CA_BUNDLE. The serving
	// certificate covers 127.0.0.1, ::1, localhost, the host of Addr (all
	// of this machine's names and addresses when Addr has none), and
	// TLSHosts.
	TLS      bool
	CAFile   string
	TLSHosts []string
}

// Instance is a launched emulator.
type Instance struct {
	*Server
	// URL is the base URL of every API and page.
	URL string
	// DBPath is the SQLite file in use, "" for the memory store.
	DBPath string
	// DirectoryFile is where the directory came from, "" for a built-in one.
	DirectoryFile string
	// Addr is the address the server is bound to, e.g. 0.0.0.0:4510 when
	// URL says 127.0.0.1:4510.
	Addr net.Addr
	// CAFile is the PEM file of the CA clients trust (TLS), "" for HTTP.
	CAFile string

	store  storage.Storage
	cancel context.CancelFunc
	done   chan error
}

// Launch builds the directory, opens the store, starts listening and
// returns once requests are accepted. The server runs until ctx is
// cancelled or Close is called; Wait returns its outcome.
func Launch(ctx context.Context, cfg Config) (*Instance, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	if !cfg.AllowRemote && !LoopbackAddr(addr) {
		return nil, fmt.Errorf("emulator: %s can be reached from other machines; allow that explicitly (AllowRemote, --allow-remote) or listen on 127.0.0.1", addr)
	}
	if cfg.TLS && cfg.CAFile == "" {
		return nil, errors.New("emulator: TLS needs a file to write the CA certificate to")
	}
	dir, err := cfg.Directory()
	if err != nil {
		return nil, err
	}
	var tlsHosts []string
	if cfg.TLS {
		tlsHosts = append(listenHosts(addr), cfg.TLSHosts...)
	}
	store, err := OpenStore(ctx, cfg.Store, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	srv, err := New(Options{
		StartURL:        cfg.StartURL,
		Region:          cfg.Region,
		Directory:       dir,
		Store:           store,
		Now:             cfg.Now,
		AutoApprove:     cfg.AutoApprove,
		AccessTokenTTL:  cfg.AccessTokenTTL,
		SessionDuration: cfg.SessionDuration,
		Faults:          cfg.Faults,
		Logger:          cfg.Logger,
		TLS:             cfg.TLS,
		TLSHosts:        tlsHosts,
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	if cfg.TLS {
		if err := fileutil.WriteAtomic(cfg.CAFile, srv.CA().PEM()); err != nil {
			store.Close()
			return nil, fmt.Errorf("emulator: write the CA certificate: %w", err)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("emulator: listen on %s: %w (is another emulator running? pick another --addr, or port 0 for any free one)", addr, err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	inst := &Instance{
		Server:        srv,
		URL:           srv.BaseURL(ln.Addr()),
		Addr:          ln.Addr(),
		CAFile:        cfg.CAFile,
		DirectoryFile: cfg.DirectoryFile,
		store:         store,
		cancel:        cancel,
		done:          make(chan error, 1),
	}
	if cfg.Store != StoreMemory {
		inst.DBPath = cfg.DBPath
	}
	go func() {
		err := srv.Serve(runCtx, ln)
		if cerr := store.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("emulator: close the store: %w", cerr)
		}
		inst.done <- err
		close(inst.done)
	}()
	return inst, nil
}

// LoopbackAddr reports whether a listen address (host:port) is reachable
// only from this machine: its host is localhost or a loopback IP. An empty
// host, 0.0.0.0 and :: listen on every interface.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listenHosts are the names clients may reach a listen address by, for the
// serving certificate: its host, or for every interface this machine's name
// and addresses.
func listenHosts(addr string) []string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{host}
	}
	var hosts []string
	if name, err := os.Hostname(); err == nil && name != "" {
		hosts = append(hosts, name)
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			hosts = append(hosts, n.IP.String())
		}
	}
	return hosts
}

// Env is what points the AWS CLI and SDKs at this instance: the endpoint
// variables of Env, and AWS_CA_BUNDLE over TLS.
func (i *Instance) Env() []string {
	env := Env(i.URL)
	if i.CAFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+i.CAFile)
	}
	return env
}

// Wait blocks until the server has stopped and returns why it stopped (nil
// after a shutdown asked for by cancelling the context or Close).
func (i *Instance) Wait() error {
	err, ok := <-i.done
	if !ok {
		return nil
	}
	return err
}

// Close stops the server gracefully and waits for it.
func (i *Instance) Close() error {
	i.cancel()
	return i.Wait()
}

// Directory builds the directory cfg describes: the file, a generated
// organisation, or the demo one, with the demo password applied.
func (cfg Config) Directory() (*directory.Directory, error) {
	var dir *directory.Directory
	switch {
	case cfg.DirectoryFile != "" && cfg.GenerateAccounts > 0:
		return nil, errors.New("emulator: use either a directory file or generated accounts, not both")
	case cfg.DirectoryFile != "":
		d, err := directory.Load(cfg.DirectoryFile)
		if err != nil {
			return nil, err
		}
		if cfg.DemoPassword != "" {
			return nil, errors.New("emulator: the demo password only applies to the built-in directory; set passwords in the directory file")
		}
		return d, nil
	case cfg.GenerateAccounts > 0:
		if cfg.GenerateAccounts > 100_000 || cfg.RolesPerAccount > 100 || cfg.GenerateAccounts*max(cfg.RolesPerAccount, 1) > 1_000_000 {
			return nil, fmt.Errorf("emulator: generated organisations go up to 100000 accounts, 100 roles each and 1000000 roles in all (asked for %d accounts with %d roles)", cfg.GenerateAccounts, cfg.RolesPerAccount)
		}
		dir = directory.Generate(cfg.GenerateAccounts, max(cfg.RolesPerAccount, 1))
	default:
		dir = directory.Demo()
	}
	if cfg.DemoPassword != "" {
		for i := range dir.Users {
			if dir.Users[i].Name == directory.DemoUser {
				dir.Users[i].Password = cfg.DemoPassword
			}
		}
	}
	return dir, nil
}

// WriteBanner tells a person how to use the running emulator: where it
// listens, the sign-in details of the built-in users, and a config block.
// writeEnv prints the environment, Env's KEY=VALUE strings, as lines of
// the reader's shell (to be pasted or sourced; the caller knows the shell);
// the rest goes to w. configFile is how the reader names the shared config
// file, ~/.aws/config or %USERPROFILE%\.aws\config.
func (i *Instance) WriteBanner(w io.Writer, writeEnv func(env []string), configFile string) {
	fmt.Fprintf(w, "Identity Center emulator listening on %s\n", i.URL)
	bound := i.Addr.String()
	remote := !LoopbackAddr(bound)
	if host, port, err := net.SplitHostPort(bound); err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			fmt.Fprintf(w, "  bound to   every network interface, port %s\n", port)
		}
	}
	fmt.Fprintf(w, "  start URL  %s\n", i.StartURL())
	fmt.Fprintf(w, "  SSO region %s\n", i.Region())
	if i.DBPath != "" {
		fmt.Fprintf(w, "  store      %s (tokens and credentials survive a restart)\n", i.DBPath)
	} else {
		fmt.Fprintf(w, "  store      memory (forgotten when the emulator stops)\n")
	}
	if i.CAFile != "" {
		fmt.Fprintf(w, "  CA         %s (made at start: clients trust it through AWS_CA_BUNDLE)\n", i.CAFile)
	}
	if u := i.opts.AutoApprove; u != "" {
		fmt.Fprintf(w, "  sign-ins   approved at once as %q, no pages (--auto-approve)\n", u)
	}
	if i.DirectoryFile != "" {
		fmt.Fprintf(w, "  directory  %s\n", i.DirectoryFile)
	} else {
		fmt.Fprintf(w, "\nSign in at %s/start as:\n", i.URL)
		for _, u := range i.Directory().Users {
			extra := ""
			if u.TOTPSecret != "" {
				extra = "  (TOTP secret " + u.TOTPSecret + ")"
			}
			fmt.Fprintf(w, "  %-8s password %s%s\n", u.Name, u.Password, extra)
		}
	}
	if remote {
		fmt.Fprintf(w, "\nWarning: other machines can reach this emulator (--allow-remote). Anyone who\n"+
			"can reach it can sign in as the directory's users; it is a test tool, not a service.\n")
	}
	fmt.Fprintf(w, "\nPoint the AWS CLI, the SDKs and ssokit at it:\n")
	writeEnv(i.Env())
	fmt.Fprintf(w, "\nand add to %s:\n\n%s\n", configFile, i.SampleConfig("emulator"))
	fmt.Fprintf(w, "Press Ctrl-C to stop.\n")
}

// SampleConfig is an ~/.aws/config block (an sso-session and a profile using
// it) for this emulator, for the first role of the first user it lists.
func (s *Server) SampleConfig(name string) string {
	account, role := directory.DemoAccount, directory.DemoRole
	d := s.Directory()
	if _, ok := d.CanAssume(directory.DemoUser, account, role); !ok && len(d.Users) > 0 {
		for _, u := range d.Users {
			if a := d.Assignments(u.Name); len(a) > 0 {
				account, role = a[0].AccountID, a[0].Roles[0]
				break
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[sso-session %s]\n", name)
	fmt.Fprintf(&b, "sso_start_url = %s\n", s.StartURL())
	fmt.Fprintf(&b, "sso_region = %s\n", s.Region())
	fmt.Fprintf(&b, "sso_registration_scopes = sso:account:access\n\n")
	fmt.Fprintf(&b, "[profile %s]\n", name)
	fmt.Fprintf(&b, "sso_session = %s\n", name)
	fmt.Fprintf(&b, "sso_account_id = %s\n", account)
	fmt.Fprintf(&b, "sso_role_name = %s\n", role)
	fmt.Fprintf(&b, "region = %s\n", s.Region())
	return b.String()
}
