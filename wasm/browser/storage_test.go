package browser

import (
	"errors"
	"strings"
	"testing"
)

// TestCaughtReadsTheExceptionsName: a storage call's exception is told by
// its name, never by words in its message.
func TestCaughtReadsTheExceptionsName(t *testing.T) {
	full := caught(&JSError{Name: "QuotaExceededError", Err: errors.New("the quota has been exceeded")})
	if !strings.Contains(full.Error(), "is full") {
		t.Errorf("a QuotaExceededError reads %q", full)
	}
	denied := caught(&JSError{Name: "SecurityError", Err: errors.New("access denied")})
	if !strings.Contains(denied.Error(), "does not let this page store data") {
		t.Errorf("a SecurityError reads %q", denied)
	}
	worded := caught(errors.New("QuotaExceededError in the message only"))
	if strings.Contains(worded.Error(), "is full") {
		t.Errorf("an error was read by its words: %q", worded)
	}
}
