// Package posts reads Hexo-style post files into articles.
package posts
