package ingest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/feedrelay/feedrelay"
)

// Limits of ParseOPML.
const (
	MaxOPMLBytes    = 10 << 20
	MaxOPMLOutlines = 10000
)

// OPMLProblem is one outline ParseOPML skipped.
type OPMLProblem struct {
	Line   int    // line of the outline's start tag
	Text   string // its text or title attribute
	Reason string
}

func (p OPMLProblem) String() string {
	return fmt.Sprintf("line %d, outline %q: %s", p.Line, p.Text, p.Reason)
}

// OPMLError lists the outlines ParseOPML skipped; the sources it could
// read are returned with it.
type OPMLError struct{ Problems []OPMLProblem }

func (e *OPMLError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("%d outline(s) skipped: %s", len(e.Problems), strings.Join(parts, "; "))
}

// ParseOPML reads an OPML 1.0 or 2.0 subscription list. Every outline with
// an xmlUrl is a source, titled by its title or text attribute. Outlines
// without xmlUrl are folders: a source inside folders A then B is filed
// under A > B. The OPML 2.0 category attribute ("/A/B,/C") adds more
// category paths. A URL listed more than once gives one source filed under
// all of its folders. Sources are enabled, with the default interval.
//
// Outlines with an unusable URL are skipped; if there were any, the error
// is an *OPMLError naming each (line and text) and the sources read are
// still returned. Any other error (not XML, not OPML, larger than
// MaxOPMLBytes, more than MaxOPMLOutlines outlines) returns no sources.
func ParseOPML(r io.Reader) ([]feedrelay.Source, error) {
	lr := &capReader{r: r, left: MaxOPMLBytes}
	dec := xml.NewDecoder(lr)
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false // old readers wrote bare & and HTML entities
	dec.Entity = xml.HTMLEntity
	var (
		out      []feedrelay.Source
		byURL    = map[string]int{}
		problems []OPMLProblem
		folders  []string // one entry per open outline; "" for feed outlines and unnamed ones
		outlines int
		root     = ""
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if lr.over {
				return nil, fmt.Errorf("OPML file is larger than %d MiB", MaxOPMLBytes>>20)
			}
			line, _ := dec.InputPos()
			return nil, fmt.Errorf("OPML is not well-formed XML (line %d): %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = t.Name.Local
				if !strings.EqualFold(root, "opml") {
					return nil, fmt.Errorf("not an OPML document: the root element is <%s>, not <opml>", root)
				}
			}
			if !strings.EqualFold(t.Name.Local, "outline") {
				continue
			}
			if outlines++; outlines > MaxOPMLOutlines {
				return nil, fmt.Errorf("OPML has more than %d outlines", MaxOPMLOutlines)
			}
			a := attrs(t.Attr)
			title := oneLine(a["title"])
			if title == "" {
				title = oneLine(a["text"])
			}
			feedURL := strings.TrimSpace(a["xmlurl"])
			if feedURL == "" {
				folders = append(folders, title)
				continue
			}
			folders = append(folders, "")
			if err := feedrelay.ValidateUpstreamURL(feedURL); err != nil {
				line, _ := dec.InputPos()
				var fe *feedrelay.FieldError
				reason := err.Error()
				if errors.As(err, &fe) {
					reason = fe.Reason
				}
				problems = append(problems, OPMLProblem{Line: line, Text: title, Reason: reason})
				continue
			}
			paths := folderPath(folders[:len(folders)-1])
			paths = append(paths, categoryAttr(a["category"])...)
			if i, seen := byURL[feedURL]; seen {
				out[i].Categories = addPaths(out[i].Categories, paths...)
				continue
			}
			byURL[feedURL] = len(out)
			out = append(out, feedrelay.Source{URL: feedURL, Title: title, Enabled: true, Categories: addPaths(nil, paths...),
				State: feedrelay.SourceState{SiteURL: strings.TrimSpace(a["htmlurl"])}})
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if root == "" {
		return nil, errors.New("not an OPML document: no XML elements")
	}
	if len(problems) > 0 {
		return out, &OPMLError{Problems: problems}
	}
	return out, nil
}

// capReader fails once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		c.over = true
		return 0, errors.New("input too large")
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		c.over = true
		return n, errors.New("input too large")
	}
	return n, err
}

// attrs maps attribute names, lower-cased (old readers wrote xmlURL), to values.
func attrs(list []xml.Attr) map[string]string {
	m := make(map[string]string, len(list))
	for _, a := range list {
		m[strings.ToLower(a.Name.Local)] = a.Value
	}
	return m
}

// oneLine collapses whitespace (newlines included) to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// folderPath is the category path of the enclosing named folders, if any.
func folderPath(folders []string) []feedrelay.CategoryPath {
	var p feedrelay.CategoryPath
	for _, f := range folders {
		if f != "" {
			p = append(p, f)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return []feedrelay.CategoryPath{p}
}

// categoryAttr reads OPML 2.0's category attribute: comma-separated
// slash-delimited paths ("/Tech/Go,/News"). Paths starting with a scheme
// ("http://…") are tag taxonomies, not folders, and are ignored.
func categoryAttr(v string) []feedrelay.CategoryPath {
	var out []feedrelay.CategoryPath
	for _, item := range strings.Split(v, ",") {
		if strings.Contains(item, "://") {
			continue
		}
		var p feedrelay.CategoryPath
		for _, name := range strings.Split(item, "/") {
			if name = oneLine(name); name != "" {
				p = append(p, name)
			}
		}
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// addPaths appends the paths not yet in list.
func addPaths(list []feedrelay.CategoryPath, paths ...feedrelay.CategoryPath) []feedrelay.CategoryPath {
	for _, p := range paths {
		key := strings.Join(p, "\x00")
		dup := false
		for _, have := range list {
			dup = dup || strings.Join(have, "\x00") == key
		}
		if !dup {
			list = append(list, p)
		}
	}
	return list
}

type opmlOutline struct {
	Text     string         `xml:"text,attr"`
	Title    string         `xml:"title,attr,omitempty"`
	Type     string         `xml:"type,attr,omitempty"`
	XMLURL   string         `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string         `xml:"htmlUrl,attr,omitempty"`
	Category string         `xml:"category,attr,omitempty"`
	Outlines []*opmlOutline `xml:"outline"`
}

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated"`
	} `xml:"head"`
	Body struct {
		Outlines []*opmlOutline `xml:"outline"`
	} `xml:"body"`
}

// WriteOPML writes sources as OPML 2.0: each source nested in folder
// outlines of its first category, with all its categories in the category
// attribute. A category name containing "/" or "," cannot be written in
// that attribute and is left out of it (the folders still carry the first).
func WriteOPML(w io.Writer, title string, sources []feedrelay.Source, now time.Time) error {
	var doc opmlDoc
	doc.Version = "2.0"
	doc.Head.Title = title
	doc.Head.DateCreated = now.UTC().Format(http.TimeFormat)
	folders := map[string]*opmlOutline{}
	for i := range sources {
		s := &sources[i]
		o := &opmlOutline{Text: s.DisplayTitle(), Title: s.DisplayTitle(), Type: "rss", XMLURL: s.URL, HTMLURL: s.State.SiteURL}
		var attr []string
		for _, p := range s.Categories {
			if !strings.ContainsAny(strings.Join(p, ""), "/,") {
				attr = append(attr, "/"+strings.Join(p, "/"))
			}
		}
		o.Category = strings.Join(attr, ",")
		parent := &doc.Body.Outlines
		if len(s.Categories) > 0 {
			key := ""
			for _, name := range s.Categories[0] {
				key += "\x00" + name
				f := folders[key]
				if f == nil {
					f = &opmlOutline{Text: name, Title: name}
					folders[key] = f
					*parent = append(*parent, f)
				}
				parent = &f.Outlines
			}
		}
		*parent = append(*parent, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
