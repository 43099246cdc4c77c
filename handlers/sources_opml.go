package handlers

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
)

// sourcesDoc is the OPML 2.0 (opml.org/spec2) list of upstream sources.
type sourcesDoc struct {
	XMLName xml.Name   `xml:"opml"`
	Version string     `xml:"version,attr"`
	Head    opmlHead   `xml:"head"`
	Body    []*opmlOut `xml:"body>outline"`
}

type opmlHead struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated"` // RFC 822
}

// opmlOut is a subscription (type rss) or a folder of them.
type opmlOut struct {
	Text     string     `xml:"text,attr"`
	Title    string     `xml:"title,attr,omitempty"`
	Type     string     `xml:"type,attr,omitempty"`
	XMLURL   string     `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string     `xml:"htmlUrl,attr,omitempty"`
	Category string     `xml:"category,attr,omitempty"`
	Children []*opmlOut `xml:"outline"`
}

// sourcesOPML serves GET /sources.opml: every upstream source, for moving
// subscriptions to a reader or to another feedrelay (sources import). It
// needs the admin token like the sources API, because upstream URLs can be
// private (tokens in query strings, intranet hosts).
//
// Each source is an outline of type rss whose category attribute lists all
// its categories as OPML 2.0 has it ("/A/B,/C"); it also sits in folder
// outlines of its first category (A, then B inside A), for readers that
// only know folders.
func (s *Server) sourcesOPML(c echo.Context) error {
	if s.cfg.Sources == nil {
		return echo.NewHTTPError(http.StatusNotFound, "upstream sources are not configured on this server")
	}
	list, err := s.cfg.Sources.Sources(c.Request().Context())
	if err != nil {
		return err
	}
	doc := sourcesDoc{Version: "2.0", Head: opmlHead{Title: s.cfg.SiteTitle + " · sources",
		DateCreated: time.Now().UTC().Format(http.TimeFormat)}}
	root := &opmlOut{}
	for i := range list {
		src := &list[i]
		title := src.DisplayTitle()
		o := &opmlOut{Text: title, Title: title, Type: "rss", XMLURL: src.URL, HTMLURL: src.State.SiteURL,
			Category: opmlCategories(src.Categories)}
		folder := root
		if len(src.Categories) > 0 {
			for _, name := range src.Categories[0] {
				folder = folder.folder(name)
			}
		}
		folder.Children = append(folder.Children, o)
	}
	doc.Body = root.Children
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/x-opml; charset=utf-8", append(append([]byte(xml.Header), out...), '\n'))
}

// folder returns the child folder named name, adding it if need be.
func (o *opmlOut) folder(name string) *opmlOut {
	for _, c := range o.Children {
		if c.Type == "" && c.Text == name {
			return c
		}
	}
	f := &opmlOut{Text: name, Title: name}
	o.Children = append(o.Children, f)
	return f
}

// opmlCategories writes OPML 2.0's category attribute: comma-separated
// paths, each level after a "/". The format has no escape, so a "/" or ","
// inside a name becomes "-".
func opmlCategories(paths []feedrelay.CategoryPath) string {
	clean := strings.NewReplacer("/", "-", ",", "-")
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		var b strings.Builder
		for _, name := range p {
			b.WriteString("/" + clean.Replace(name))
		}
		out = append(out, b.String())
	}
	return strings.Join(out, ",")
}
