package browserstub

import "sync"

// Stub records the URLs it is asked to open and optionally hands each one
// to Follow, e.g. to drive the emulator's pages in a test. It satisfies
// login.Opener.
type Stub struct {
	Follow func(url string) error

	mu   sync.Mutex
	urls []string
}

// URLs returns the URLs opened so far.
func (s *Stub) URLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.urls...)
}

// Open records url and passes it to Follow, if set.
func (s *Stub) Open(url string) error {
	s.mu.Lock()
	s.urls = append(s.urls, url)
	s.mu.Unlock()
	if s.Follow != nil {
		return s.Follow(url)
	}
	return nil
}
