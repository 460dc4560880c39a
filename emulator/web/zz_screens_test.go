//go:build screens

package web

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ssokit/ssokit/emulator/directory"
)

func TestScreens(t *testing.T) {
	f := newFixture(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.WindowSize(1000, 800), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	os.MkdirAll("/tmp/shots", 0o755)
	shot := func(name string, acts ...chromedp.Action[chromedp.Void]) {
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatal(name, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(name, err)
		}
		os.WriteFile("/tmp/shots/"+name+".png", buf, 0o644)
	}
	shot("01-signin", chromedp.Navigate(f.srv.URL+"/device?user_code=ABCD-EFGH"))
	shot("02-signin-error", chromedp.SetValue(chromedp.ID("username"), "alice"), chromedp.SetValue(chromedp.ID("password"), "x"), chromedp.Click(chromedp.CSS("#signin button")), chromedp.WaitVisible(chromedp.CSS(".alert")))
	shot("03-totp", chromedp.SetValue(chromedp.ID("username"), "bob"), chromedp.SetValue(chromedp.ID("password"), "bob-pw"), chromedp.Click(chromedp.CSS("#signin button")), chromedp.WaitVisible(chromedp.ID("code")))
	code, _ := directory.TOTP(bobSecret, f.clock.Now())
	shot("04-device-confirm", chromedp.SetValue(chromedp.ID("code"), code), chromedp.Click(chromedp.CSS("#totp button")), chromedp.WaitVisible(chromedp.ID("device")))
	shot("05-device-approved", chromedp.Click(chromedp.CSS("#device button[value=allow]")), chromedp.WaitVisible(chromedp.CSS(".status")))
	shot("06-device-code", chromedp.Navigate(f.srv.URL+"/device"))
	shot("07-device-notfound", chromedp.Navigate(f.srv.URL+"/device?user_code=NOPE-NOPE"))
	shot("08-consent", chromedp.Navigate(f.srv.URL+"/consent?request=req1"))
	shot("09-start", chromedp.Navigate(f.srv.URL+"/start"))
	for i := 0; i < 5; i++ {
		chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/device?user_code=NOPE-NOPE"))
	}
	shot("10-429", chromedp.Navigate(f.srv.URL+"/device?user_code=NOPE-NOPE"))
}
