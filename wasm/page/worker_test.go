package page

import "aeplayground/wasm/protocol"

// sent records the commands a controller sends, as the worker would get
// them (a reused message is copied by its frame, so the test keeps copies).
type sent struct{ msgs []protocol.Message }

func (s *sent) Send(m protocol.Message) { s.Request(0, m) }

func (s *sent) Request(_ uint64, m protocol.Message) {
	c, _, err := protocol.Decode(protocol.Append(nil, m))
	if err != nil {
		panic(err)
	}
	s.msgs = append(s.msgs, c)
}

// of is the commands of m's kind.
func (s *sent) of(m protocol.Message) []protocol.Message {
	var out []protocol.Message
	for _, x := range s.msgs {
		if x.Kind() == m.Kind() {
			out = append(out, x)
		}
	}
	return out
}
