// Package accounts lists every AWS account and role a signed-in user of IAM
// Identity Center can use, fast and without tripping the portal's rate limit.
//
// Organisations with thousands of accounts need one ListAccountRoles call per
// account, and the portal answers TooManyRequestsException (HTTP 429) as soon
// as a client goes faster than its token bucket. The flow:
//
//  1. ListAccounts is paged (100 accounts per page) on one goroutine; each
//     account is handed to a small pool of workers as soon as its page
//     arrives, so role listing starts long before the account listing ends.
//  2. Every request, from any goroutine, first takes a token from one shared
//     client-side limiter (default 20 requests per second, burst 1). A burst
//     of 1 spaces requests evenly, so a server bucket of the same rate never
//     runs dry even when the workers all become ready at once.
//  3. A 429 (or a 5xx) is retried by this package, not by the SDK: it sleeps
//     an exponentially growing, fully jittered delay (at least the server's
//     Retry-After). A 429 also lowers the shared rate by a fifth, so every
//     worker eases off, not just the one refused; each success wins a little
//     back (additive increase, multiplicative decrease, as TCP does).
//  4. Attempts per request are bounded; Stats counts requests, 429s and
//     retries so callers can report them.
//
// The package takes any client with the two portal operations (an
// *sso.Client fits), so embedders choose endpoints and HTTP transport.
package accounts
