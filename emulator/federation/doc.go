// Package federation is a minimal AWS console federation endpoint, enough to
// test a console sign-in URL end to end without AWS.
//
// Routes:
//
//	GET /federation?Action=getSigninToken&Session={json}   → {"SigninToken": "..."}
//	GET /federation?Action=login&Destination=...&SigninToken=...  → 302 Destination
//	GET /console                                          a page naming the signed-in role
//
// getSigninToken checks the role credentials in Session against those the
// portal issued and returns a short-lived token signed with a key kept in
// the store (so tokens survive a restart). login checks the token and
// redirects only to the emulator itself or an AWS console host; when the
// destination is the emulator it sets a cookie that /console reads.
package federation
