package telegram

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay/relay/platform"
	"golang.org/x/net/html"
)

var (
	tagRE    = regexp.MustCompile(`</?([a-z-]+)((?: [a-z]+="[^"<>]*")*)>`)
	entityRE = regexp.MustCompile(`&(amp|lt|gt|quot);`)
	allowed  = map[string]bool{"b": true, "i": true, "u": true, "s": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-spoiler": true}
)

// checkHTML verifies that s is what Telegram's HTML mode accepts: only its
// tags, with only href (http, https, tg) on a and a language class on code
// in pre, every tag closed in order, no bare < > &, only named entities
// Telegram knows. It returns the visible length.
func checkHTML(s string) (int, error) {
	rest := tagRE.ReplaceAllString(s, "")
	if strings.ContainsAny(rest, "<>") {
		return 0, fmt.Errorf("bare < or > in %q", rest)
	}
	if strings.Contains(entityRE.ReplaceAllString(rest, ""), "&") {
		return 0, fmt.Errorf("bare & or unknown entity in %q", rest)
	}
	var stack []string
	visible := 0
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			visible += platform.UTF16Len(tok.Data)
		case html.StartTagToken:
			if !allowed[tok.Data] {
				return 0, fmt.Errorf("tag <%s> is not Telegram's", tok.Data)
			}
			if err := checkAttrs(tok, stack); err != nil {
				return 0, err
			}
			for _, open := range stack {
				if open == "code" || open == "pre" && tok.Data != "code" {
					return 0, fmt.Errorf("<%s> inside <%s>", tok.Data, open)
				}
				if open == tok.Data {
					return 0, fmt.Errorf("<%s> inside itself", tok.Data)
				}
			}
			stack = append(stack, tok.Data)
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				return 0, fmt.Errorf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			return 0, fmt.Errorf("unexpected token %v", tok)
		}
	}
	if len(stack) > 0 {
		return 0, fmt.Errorf("left open: %v", stack)
	}
	return visible, nil
}

func checkAttrs(tok html.Token, stack []string) error {
	for _, a := range tok.Attr {
		switch {
		case tok.Data == "a" && a.Key == "href" && linkable(a.Val):
		case tok.Data == "code" && a.Key == "class" && len(stack) > 0 && stack[len(stack)-1] == "pre" &&
			strings.HasPrefix(a.Val, "language-"):
		default:
			return fmt.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
		}
	}
	if tok.Data == "a" && len(tok.Attr) != 1 {
		return fmt.Errorf("<a> without href")
	}
	return nil
}

// The checker itself must catch what Telegram refuses.
func TestCheckHTMLCatches(t *testing.T) {
	for _, bad := range []string{
		"<p>x</p>", "<b>x", "<b><i>x</b></i>", "a < b", "a & b", "&nbsp;", "&#60;",
		`<a href="javascript:x">y</a>`, `<b class="x">y</b>`, "<code><b>x</b></code>", "<a href=\"https://e\"><a href=\"https://f\">x</a></a>",
	} {
		if _, err := checkHTML(bad); err == nil {
			t.Errorf("checkHTML(%q) passed", bad)
		}
	}
	if n, err := checkHTML(`<b>a &amp; <a href="https://e.com/?q=&quot;">b</a></b>`); err != nil || n != 5 {
		t.Errorf("valid text: %d, %v", n, err)
	}
}
