package feeds

import "testing"

func benchRender(b *testing.B, r renderer) {
	m := testMeta(r.self)
	items := bigArticles(50)
	out, err := r.fn(m, items)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.fn(m, items); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderRSS50(b *testing.B)  { benchRender(b, renderers[0]) }
func BenchmarkRenderAtom50(b *testing.B) { benchRender(b, renderers[1]) }
func BenchmarkRenderJSON50(b *testing.B) { benchRender(b, renderers[2]) }
