package main

import (
	"os"

	"github.com/ssokit/ssokit/internal/cli/app"
)

func main() {
	os.Exit(app.Main())
}
