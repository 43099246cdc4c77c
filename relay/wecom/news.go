package wecom

import "github.com/feedrelay/feedrelay/relay/platform"

// News field limits: title "不超过128个字节，超过会自动截断", description
// "不超过512个字节，超过会自动截断" (path/99110; relay-platforms.md 1.5). We cut
// first, on a rune boundary with an ellipsis, rather than let WeCom cut
// mid-character.
const (
	titleBytes       = 128
	descriptionBytes = 512
)

type newsMessage struct {
	MsgType string   `json:"msgtype"`
	News    newsList `json:"news"`
}

type newsList struct {
	Articles []article `json:"articles"`
}

type article struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
	// PicURL is fetched by WeCom itself ("支持JPG、PNG格式"); sent only
	// when the article has an image.
	PicURL string `json:"picurl,omitempty"`
}

func newsBody(items []platform.Item) newsMessage {
	m := newsMessage{MsgType: "news"}
	for _, it := range items {
		m.News.Articles = append(m.News.Articles, article{
			Title:       platform.FitBytes(platform.ChineseTitle(it), titleBytes),
			Description: description(it),
			URL:         platform.SafeURL(it.URL),
			PicURL:      platform.SafeURL(it.Image),
		})
	}
	return m
}

// description is the summary, then "来源: …" for upstream articles; the
// attribution keeps its place and the summary is cut to what is left.
func description(it platform.Item) string {
	sum := platform.Clean(it.Summary)
	src := platform.Clean(it.SourceTitle)
	if src == "" {
		return platform.FitBytes(sum, descriptionBytes)
	}
	src = platform.FitBytes("来源: "+src, descriptionBytes/4)
	if sum == "" {
		return src
	}
	if sum = platform.FitBytes(sum, descriptionBytes-len(src)-1); sum == "" {
		return src
	}
	return sum + "\n" + src
}
