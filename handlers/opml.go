package handlers

import (
	"encoding/xml"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
)

// opmlDoc is an OPML 2.0 subscription list (opml.org/spec2): one outline
// per feed, so a reader can subscribe to every category at once.
type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	Type    string `xml:"type,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr"`
}

func (s *Server) categoriesOPML(c echo.Context) error {
	doc := opmlDoc{Version: "2.0", Title: s.cfg.SiteTitle}
	doc.Body = append(doc.Body, opmlOutline{Text: s.cfg.SiteTitle, Title: s.cfg.SiteTitle, Type: "rss",
		XMLURL: s.cfg.BaseURL + "/feed.atom", HTMLURL: s.cfg.BaseURL + "/"})
	for _, cat := range s.snap.Load().categories {
		u := feedrelay.CategoryURL(s.cfg.BaseURL, cat.Path)
		title := s.cfg.SiteTitle + " · " + cat.Path.String()
		doc.Body = append(doc.Body, opmlOutline{Text: title, Title: title, Type: "rss", XMLURL: u + "feed.atom", HTMLURL: u})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/x-opml; charset=utf-8", append([]byte(xml.Header), out...))
}
