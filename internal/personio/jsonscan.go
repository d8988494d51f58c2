package personio

import (
	"bytes"
	"encoding/json"
)

// scanner walks a JSON document that json.Valid has already accepted. It
// does not check syntax again: it only finds where values start and end,
// which lets the employees decoder read a page in one pass without building
// maps or boxing values, and slice out the few values it keeps. Feeding it
// unvalidated input is a bug: it never panics on such input (every read is
// bounds-checked), but what it returns is then meaningless.
type scanner struct {
	b []byte
	i int
}

// ws skips whitespace.
func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte (0 at the end).
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// str reads the string starting at s.i (an opening quote) and returns its
// contents without the quotes, still escaped, and whether any escape
// occurs in them.
func (s *scanner) str() (raw []byte, escaped bool) {
	s.i++ // opening quote
	start := s.i
	// A plain loop beats bytes.IndexByte here: most strings are a few
	// bytes long.
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped
		case '\\':
			escaped = true
			s.i += 2
		default:
			s.i++
		}
	}
	s.i = len(s.b)
	return s.b[start:], true
}

// value skips the value starting at the next non-space byte and returns its
// raw text.
func (s *scanner) value() []byte {
	s.ws()
	start := s.i
	if s.i >= len(s.b) {
		return nil
	}
	switch s.b[s.i] {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return s.b[start:s.i]
				}
			}
			s.i++
		}
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return s.b[start:s.i]
			}
			s.i++
		}
	}
	return s.b[start:s.i]
}

// enter consumes the opening '{' or '[' of a container.
func (s *scanner) enter() { s.ws(); s.i++ }

// member advances to the next member of the object being read and returns
// its key (still escaped) with the scanner at the member's value; ok is
// false, with the closing brace consumed, when the object has no more
// members.
func (s *scanner) member() (key []byte, escaped, ok bool) {
	c := s.peek()
	if c == ',' {
		s.i++
		c = s.peek()
	}
	if c != '"' {
		s.i++ // closing brace
		return nil, false, false
	}
	key, escaped = s.str()
	if s.peek() == ':' {
		s.i++
	}
	s.ws()
	return key, escaped, true
}

// elem advances to the next element of the list being read; ok is false,
// with the closing bracket consumed, when there are no more.
func (s *scanner) elem() bool {
	c := s.peek()
	if c == ',' {
		s.i++
		c = s.peek()
	}
	if c == ']' || c == 0 {
		s.i++
		return false
	}
	return true
}

// unquote returns the text of a string's raw contents, decoding escapes
// (rare, so the slow path through encoding/json is fine).
func unquote(raw []byte, escaped bool) string {
	if !escaped {
		return string(raw)
	}
	var s string
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	if json.Unmarshal(q, &s) != nil {
		return string(raw)
	}
	return s
}

// keyIs reports whether an object key (still escaped) names name. Like
// encoding/json's struct fields, the match ignores case.
func keyIs(key []byte, escaped bool, name string) bool {
	if escaped {
		return bytes.EqualFold([]byte(unquote(key, true)), []byte(name))
	}
	return string(key) == name || bytes.EqualFold(key, []byte(name))
}
