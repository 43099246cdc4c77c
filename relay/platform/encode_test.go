package platform

import (
	"strings"
	"testing"
)

func TestEncodeJSON(t *testing.T) {
	b, err := EncodeJSON(map[string]string{"text": "<b>&</b>"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"text":"<b>&</b>"}`; got != want {
		t.Errorf("EncodeJSON = %s, want %s (no HTML escaping, no newline)", got, want)
	}
	if _, err := EncodeJSON(func() {}); err == nil {
		t.Errorf("EncodeJSON encoded a func")
	}
}

func TestFitJSON(t *testing.T) {
	budgets := []Budget{{Summary: 100}, {Summary: 10}, {}, {Title: 3}}
	build := func(b Budget) any {
		m := map[string]string{"t": CutRunes("一二三四五六", b.TitleCap(6))}
		if b.Summary > 0 {
			m["s"] = CutRunes(strings.Repeat("摘", 50), b.Summary)
		}
		return m
	}
	body, err := FitJSON("robot", 60, budgets, build)
	if err != nil || len(body) > 60 || !strings.Contains(string(body), "一二三四五六") {
		t.Errorf("FitJSON = %s, %v: want the first budget that fits, titles whole", body, err)
	}
	if _, err := FitJSON("robot", 10, budgets, build); err == nil || !strings.HasPrefix(err.Error(), "robot: message is ") {
		t.Errorf("FitJSON over every budget: %v", err)
	}
}
