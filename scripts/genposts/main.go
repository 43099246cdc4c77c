// Command genposts writes Hexo-style post files (YAML front matter and an
// HTML body) for import and load tests of feedrelay.
//
//	go run ./scripts/genposts -n 10000 -out DIR [-seed FILE] [-categories K] [-body-bytes B]
//
// Every post gets a unique title, a date spread over several years written
// the RFC 1123 way (Tue, 15 Feb 2022 03:48:00 GMT), one 3-level category
// hierarchy out of K (about one post in eight gets a second one), tags, an
// author and a head image. With -seed the body is the seed post's body;
// without it a Chinese-like body of about the seed's size (~11 KB) is
// synthesized. -body-bytes trims (or pads) bodies to about B bytes.
//
// Output depends only on the flags: post i draws from its own random
// stream, so the files are the same whatever order the workers write them
// in. Files go to DIR/pNNN/post-NNNNNN.md, 1000 to a directory.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	n          int
	out        string
	seed       string
	categories int
	bodyBytes  int
	randSeed   uint64
	ext        string
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 10000, "number of posts to write")
	flag.StringVar(&c.out, "out", "", "output directory (created if missing)")
	flag.StringVar(&c.seed, "seed", "", "seed post whose body text is reused (optional)")
	flag.IntVar(&c.categories, "categories", 12, "number of distinct 3-level category hierarchies")
	flag.IntVar(&c.bodyBytes, "body-bytes", 0, "approximate body size in bytes (0: the seed's body size, or 11000 without a seed)")
	flag.Uint64Var(&c.randSeed, "rand-seed", 1, "seed of the pseudo-random choices")
	flag.StringVar(&c.ext, "ext", "md", "file extension: md (rendered as Markdown, as Hexo does) or html")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "genposts:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.out == "" {
		return errors.New("-out is required")
	}
	if c.n < 1 {
		return errors.New("-n must be at least 1")
	}
	if c.categories < 1 {
		return errors.New("-categories must be at least 1")
	}
	if c.ext != "md" && c.ext != "html" {
		return errors.New("-ext must be md or html")
	}
	start := time.Now()
	var body bodySource
	if c.seed != "" {
		data, err := os.ReadFile(c.seed)
		if err != nil {
			return err
		}
		b, err := seedBody(data)
		if err != nil {
			return fmt.Errorf("seed %s: %w", c.seed, err)
		}
		body = newSeedSource(b, c.bodyBytes)
	} else {
		size := c.bodyBytes
		if size <= 0 {
			size = 11000
		}
		body = newSynthSource(size, c.randSeed)
	}
	hier := hierarchies(c.categories)

	dirs := (c.n + 999) / 1000
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(c.out, fmt.Sprintf("p%03d", d)), 0o755); err != nil {
			return err
		}
	}
	var next atomic.Int64
	var total atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= c.n {
					return
				}
				buf.Reset()
				writePost(&buf, c, i, hier, body)
				name := filepath.Join(c.out, fmt.Sprintf("p%03d", i/1000), fmt.Sprintf("post-%06d.%s", i, c.ext))
				if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				total.Add(int64(buf.Len()))
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Fprintf(os.Stderr, "genposts: wrote %d posts (%.1f MB, %d hierarchies) to %s in %s\n",
		c.n, float64(total.Load())/1e6, len(hier), c.out, time.Since(start).Round(time.Millisecond))
	return nil
}

// ---- front matter ----------------------------------------------------------

var (
	roots  = []string{"新媒体", "科技", "财经", "汽车", "农业", "能源", "医疗健康", "教育", "文化", "体育", "房产", "旅游"}
	mids   = []string{"高科技行业门户", "产业观察", "深度报道", "地方频道", "专栏作者", "行业快讯", "公司动态", "研究报告"}
	leaves = []string{"新闻", "评论", "访谈", "数据", "政策", "专题", "案例", "视频"}

	authors = []string{"高科技行业门户", "智车科技", "田野观察", "能源前线", "财经周刊", "数字经济研究院", "产业观察员", "编辑部"}
	tagPool = []string{"数字化", "云计算", "新能源", "自动驾驶", "智慧农业", "无人机", "芯片", "人工智能", "大数据",
		"5G", "物联网", "碳中和", "电动汽车", "储能", "光伏", "机器人", "区块链", "元宇宙", "智能制造", "工业互联网",
		"医疗器械", "在线教育", "文旅", "消费电子", "半导体", "网络安全", "供应链", "跨境电商", "金融科技", "智慧城市"}
	titleA = []string{"数字化", "全面上云", "智能化", "绿色转型", "规模化应用", "产业升级", "技术突破", "政策红利", "市场扩张", "生态合作"}
	titleB = []string{"助力汽车行业带来深刻变革", "推动制造业迈向新阶段", "让乡村搭上快车", "重塑行业竞争格局",
		"打开万亿级市场空间", "考验企业综合能力", "催生新的商业模式", "成为增长新引擎", "带来哪些机遇与挑战", "正在改变我们的生活"}
)

// hierarchies returns k distinct 3-level paths (at most 192). The first is
// the seed post's [新媒体, 高科技行业门户, 新闻]; after it every root gets two
// mids with two leaves each before the next root starts, so the category
// tree has parents with several children: k=12 gives 3 roots, 6 mids and
// 12 leaves (21 categories).
func hierarchies(k int) [][3]string {
	const perRoot, perBlock = 4, 4 * 12
	maxK := perBlock * len(mids) / 2
	k = min(k, maxK)
	var out [][3]string
	for i := 0; len(out) < k && i < maxK; i++ {
		block, j := i/perBlock, i%perBlock
		p := [3]string{
			roots[j/perRoot],
			mids[((j/2)%2+2*block)%len(mids)],
			leaves[(j%2+2*(j/perRoot)+2*block)%len(leaves)],
		}
		if !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func contains(list [][3]string, p [3]string) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// epoch and span spread dates from 2015 over about nine years, post i
// roughly in order with an hour-scale jitter so dates are unique-ish but
// not regular.
var epoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

const span = 9 * 365 * 24 * time.Hour

// rfc1123GMT is the date form of the seed post (and of HTTP dates).
const rfc1123GMT = "Mon, 02 Jan 2006 15:04:05 GMT"

func writePost(buf *bytes.Buffer, c config, i int, hier [][3]string, body bodySource) {
	r := rand.New(rand.NewPCG(c.randSeed, uint64(i)*0x9E3779B97F4A7C15+1))
	date := epoch.Add(time.Duration(int64(span) / int64(c.n) * int64(i))).
		Add(time.Duration(r.IntN(3600)) * time.Second).Truncate(time.Minute)
	a1 := r.IntN(len(titleA))
	a2 := (a1 + 1 + r.IntN(len(titleA)-1)) % len(titleA)
	title := fmt.Sprintf("%s、%s，%s（第%d篇）", titleA[a1], titleA[a2], titleB[r.IntN(len(titleB))], i+1)
	// Skewed pick: the low-numbered hierarchies get more posts.
	h := hier[int(float64(len(hier))*r.Float64()*r.Float64())]
	img := fmt.Sprintf("https://picsum.photos/id/%d/1200/630", r.IntN(1000))

	buf.WriteString("\n---\n")
	fmt.Fprintf(buf, "title: '%s'\n", strings.ReplaceAll(title, "'", "''"))
	buf.WriteString("categories: \n")
	if len(hier) > 1 && r.IntN(8) == 0 {
		h2 := hier[r.IntN(len(hier))]
		if h2 == h {
			h2 = hier[(indexOf(hier, h)+1)%len(hier)]
		}
		fmt.Fprintf(buf, " - [%s, %s, %s]\n - [%s, %s, %s]\n", h[0], h[1], h[2], h2[0], h2[1], h2[2])
	} else {
		fmt.Fprintf(buf, " - %s\n - %s\n - %s\n", h[0], h[1], h[2])
	}
	fmt.Fprintf(buf, "headimg: '%s'\n", img)
	fmt.Fprintf(buf, "author: %s\n", authors[r.IntN(len(authors))])
	buf.WriteString("comments: false\n")
	fmt.Fprintf(buf, "date: %s\n", date.Format(rfc1123GMT))
	fmt.Fprintf(buf, "thumbnail: '%s'\n", img)
	buf.WriteString("tags:\n")
	for _, t := range pickTags(r, 2+r.IntN(3)) {
		fmt.Fprintf(buf, " - %s\n", t)
	}
	buf.WriteString("---\n\n")
	body.write(buf, r, i, title)
}

func indexOf(list [][3]string, p [3]string) int {
	for i, q := range list {
		if q == p {
			return i
		}
	}
	return 0
}

func pickTags(r *rand.Rand, n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		t := tagPool[r.IntN(len(tagPool))]
		if !containsString(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// ---- bodies ----------------------------------------------------------------

type bodySource interface {
	// write appends post i's body; r is the post's own random stream.
	write(buf *bytes.Buffer, r *rand.Rand, i int, title string)
}

const pStyle = `<p style="text-indent: 2em; text-align: left;">`

// seedBody returns what follows the front matter of a seed post.
func seedBody(data []byte) ([]byte, error) {
	s := strings.TrimLeft(string(data), "\r\n\t \ufeff")
	if !strings.HasPrefix(s, "---") {
		return nil, errors.New("no front matter")
	}
	rest := s[3:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return nil, errors.New("front matter is not closed")
	}
	rest = rest[end+4:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[nl+1:]
	}
	return []byte(strings.TrimSpace(rest)), nil
}

// seedSource reuses the seed body: whole when no size is asked for (with
// one unique paragraph in front so every post's content differs), or its
// paragraphs repeated up to the size asked for.
type seedSource struct {
	whole []byte
	paras []string
	size  int
}

var paraRE = regexp.MustCompile(`(?s)<p[ >].*?</p>`)

func newSeedSource(b []byte, size int) *seedSource {
	s := &seedSource{whole: b, size: size}
	s.paras = paraRE.FindAllString(string(b), -1)
	if len(s.paras) == 0 {
		s.paras = []string{string(b)}
	}
	return s
}

func (s *seedSource) write(buf *bytes.Buffer, r *rand.Rand, i int, title string) {
	lead := fmt.Sprintf("%s编号 %06d：%s</p>", pStyle, i+1, title)
	if s.size <= 0 {
		buf.WriteString("<div>\n")
		buf.WriteString(lead)
		// Skip the seed's own opening <div> so the lead stays inside one.
		body := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(s.whole), []byte("<div>")))
		buf.Write(body)
		buf.WriteString("\n")
		return
	}
	start := buf.Len()
	buf.WriteString("<div>\n")
	buf.WriteString(lead)
	// Whole paragraphs while they fit (at least one), from a random start.
	for j, n := r.IntN(len(s.paras)), 0; ; j, n = j+1, n+1 {
		p := s.paras[j%len(s.paras)]
		if n > 0 && buf.Len()-start+len(p) > s.size-8 {
			break
		}
		buf.WriteString(p)
	}
	buf.WriteString("\n</div>\n")
}

// synthSource builds bodies from a pool of Chinese-like paragraphs made
// once from a fixed vocabulary.
type synthSource struct {
	paras []string
	size  int
}

var vocab = strings.Fields(`数字化 全面 上云 汽车 行业 深刻 变革 企业 平台 数据 用户 体验 场景 软件 业务 流程 竞争力
关键 推动 优化 提升 模式 转型 新势力 车企 自动驾驶 智能 网联 电动 供应链 生态 合作 伙伴 云计算 服务 能力 需求 市场
规模 增长 技术 研发 创新 政策 支持 产业 升级 未来 发展 趋势 挑战 机遇 领域 方案 体系 管理 运营 效率 成本 安全 标准
基础设施 算力 网络 终端 芯片 传感器 算法 模型 训练 部署 落地 应用 客户 价值 品牌 渠道 销售 线上 线下 门店 疫情 经济
全球 国内 头部 中小 企业 团队 人才 资本 投资 融资 估值 利润 收入 毛利 报告 调研 机构 专家 认为 指出 表示 预计`)

var punct = []string{"，", "，", "，", "。", "、", "；"}

func newSynthSource(size int, seed uint64) *synthSource {
	r := rand.New(rand.NewPCG(seed, 0xC0FFEE))
	s := &synthSource{size: size}
	for range 64 {
		var b strings.Builder
		b.WriteString(pStyle)
		chars := 40 + r.IntN(200)
		for n := 0; n < chars; {
			w := vocab[r.IntN(len(vocab))]
			b.WriteString(w)
			n += len([]rune(w))
			if r.IntN(4) == 0 {
				b.WriteString(punct[r.IntN(len(punct))])
				n++
			}
		}
		b.WriteString("。</p>")
		if r.IntN(6) == 0 {
			fmt.Fprintf(&b, "%s<strong>%d</strong></p>", pStyle, 1+r.IntN(9))
		}
		s.paras = append(s.paras, b.String())
	}
	return s
}

func (s *synthSource) write(buf *bytes.Buffer, r *rand.Rand, i int, title string) {
	start := buf.Len()
	buf.WriteString("<div>\n")
	fmt.Fprintf(buf, "%s编号 %06d：%s</p>", pStyle, i+1, title)
	for buf.Len()-start < s.size-300 {
		buf.WriteString(s.paras[r.IntN(len(s.paras))])
	}
	fmt.Fprintf(buf, "<p>       <span style=\"color:#999999;font-size:14px;\">原文标题 : %s</span></p>\n</div>\n", title)
}
