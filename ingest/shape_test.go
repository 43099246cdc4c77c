package ingest

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFeedRefusesBodiesCostlierThanTheirSize(t *testing.T) {
	deep := `<?xml version="1.0"?><rss version="2.0"><channel><title>d</title><item><title>x</title><description>` +
		strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + `</description></item></channel></rss>`
	many := `<rss version="2.0"><channel><title>m</title>` + strings.Repeat("<item><title>i</title></item>", MaxParsedItems+1) + `</channel></rss>`
	manyAtom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>m</title>` + strings.Repeat(`<atom:entry xmlns:atom="x"/>`, MaxParsedItems+1) + `</feed>`
	for _, c := range []struct{ name, body, want string }{
		{"deep", deep, "nested more than 256 deep"},
		{"many items", many, "more than 10000 items"},
		{"many atom entries", manyAtom, "more than 10000 items"},
		{"json items not objects", `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[1,2]}`, "item 1 is not an object"},
		{"json without version", `{"items":[]}`, `no "version"`},
		{"json wrong type", `{"version":"https://jsonfeed.org/version/1.1","items":{"a":1}}`, `"items" is not what JSON Feed 1.1 says`},
	} {
		_, err := ParseFeed([]byte(c.body), "", nil)
		if !errors.Is(err, ErrNotFeed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrNotFeed saying %q", c.name, err, c.want)
		}
	}
	// At the bounds, and with '>' and CDATA that look like tags, it parses.
	ok := `<rss version="2.0"><channel><title a="x>y">t</title>` + strings.Repeat("<item><title>i</title><description><![CDATA[<a><b><c>]]></description></item>", 50) +
		`<!-- <item> --></channel></rss>`
	if f, err := ParseFeed([]byte(ok), "", nil); err != nil || len(f.Items) != 50 {
		t.Errorf("ordinary feed: %v", err)
	}
}

func TestOversizedItemIsSkippedWithItsReason(t *testing.T) {
	body := `<rss version="2.0"><channel><title>big</title>` +
		`<item><title>huge</title><link>https://b.example/1</link><description><![CDATA[` + strings.Repeat("<b>", MaxItemHTML/3+1) + `]]></description></item>` +
		`<item><title>fine</title><link>https://b.example/2</link><description>ok</description></item></channel></rss>`
	f, err := ParseFeed([]byte(body), "", testFeedURL)
	if err != nil {
		t.Fatal(err)
	}
	pf, _ := MapItems(f, testSource(), testFeedURL, testPolicy, nil, testNow)
	if len(pf.Items) != 1 || pf.Items[0].Article.Title != "fine" || pf.Skipped != 1 ||
		len(pf.Problems) != 1 || !strings.Contains(pf.Problems[0], `item 1 "huge": content of`) || !strings.Contains(pf.Problems[0], "more than the 1048576 feedrelay reads per item") {
		t.Errorf("items %d skipped %d problems %q", len(pf.Items), pf.Skipped, pf.Problems)
	}
}
