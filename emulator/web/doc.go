// Package web serves the emulator's pages for people: sign-in (password,
// then a TOTP code when the user has a secret), device-code approval, PKCE
// consent and the access-portal home that lists the user's accounts and
// roles. Templates are embedded; the pages need no script and load nothing
// from elsewhere.
//
// Flow: a client's verification or /authorize URL lands on /device or
// /consent; without a signed-in session the browser is sent to
// /signin?next=<that page>; after sign-in it comes back, the person reads
// what is asked and presses Allow or Deny, and the Authorizer (the OIDC
// service, behind an adapter in the server assembly) records the answer.
// Consent answers redirect to the client's loopback listener.
//
// Routes (mounted by Handler.Mount):
//
//	GET  /              302 to /start
//	GET  /start         portal home: the user's accounts and roles
//	GET  /signin        sign-in form (?next=/path to return to)
//	POST /signin        check password, then TOTP (step=totp) when needed
//	POST /signout       end the session
//	GET  /device        enter a user code, or confirm ?user_code=CODE
//	POST /device        action=allow|deny for user_code
//	GET  /consent       PKCE consent for ?request=ID
//	POST /consent       action=allow|deny for request; 303 to the client
//
// Sessions live in memory behind a random, HttpOnly, SameSite=Lax cookie;
// signing in replaces the session ID. Every form carries the session's CSRF
// token and every POST checks it (403 otherwise). Wrong passwords, TOTP
// codes and user codes are counted per user and per session; after
// MaxFailures within FailureWindow further tries get a 429 page.
package web
