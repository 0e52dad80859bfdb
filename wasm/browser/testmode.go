package browser

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func TestMode() bool {
	for _, kv := range strings.Split(app.Window().URL().RawQuery, "&") {
		if kv == "aetest=1" {
			return true
		}
	}
	return false
}
