package main

import (
	"os"

	"github.com/ssokit/ssokit/internal/app"
)

func main() {
	os.Exit(app.Main())
}
