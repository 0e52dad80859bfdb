package protocol

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
)

// History is what a model file keeps besides the model: where its training
// had got to (the counters go on from there when it is loaded) and the
// curves the page drew of it (they come back with it). The worker writes it
// after the engine's model file (engine/ae/modelfile.go), in the saved copy
// and in a downloaded .aemodel alike:
//
//	model file | "AEHS" | payload | CRC-32 (IEEE) of the payload | uint32 payload length | "AEHE"
//
// read from the end, so the engine's format is untouched and a file
// without it (an older one) is a model file as it was. The payload is in
// this package's wire encoding (wire.go).
type History struct {
	Epoch            float64
	Samples, Batches int64
	Loss             float64 // the recent minibatches' loss; NaN before the first batch
	Points           []HistoryPoint
}

// HistoryPoint is one held-out evaluation. Numbers not measured are NaN.
type HistoryPoint struct {
	Epoch, Samples float64
	Train, Test    float64 // the training loss (recent minibatches) and the held-out loss
	PCATest        float64 // PCA's error on the same held-out digits at the model's k
	Floor          float64 // PCA's floor: its error on the training digits at the model's k
	Largest, Mean  float64 // the largest and the mean principal angle to PCA's subspace, degrees
	Jacobian       float64 // ‖∂h/∂x‖_F
}

// MaxHistory bounds the points kept: past it every other one goes, as the
// page's curves are thinned (at most 300 points drawn), but the held-out
// evaluations, far fewer, stay while they can.
const MaxHistory = 600

// historyFields is the number of float64s in a point.
const historyFields = 9

// Add appends p (a progress report: Test and the angles are NaN unless it
// carried an evaluation), thinning the points once there are more than
// MaxHistory.
func (h *History) Add(p HistoryPoint) {
	h.Points = append(h.Points, p)
	if len(h.Points) <= MaxHistory {
		return
	}
	evals := 0
	for _, q := range h.Points {
		if !math.IsNaN(q.Test) {
			evals++
		}
	}
	keepEvals := evals <= MaxHistory/2
	n := 0
	for i, q := range h.Points {
		if i%2 == 0 || keepEvals && !math.IsNaN(q.Test) {
			h.Points[n] = q
			n++
		}
	}
	h.Points = h.Points[:n]
}

const (
	historyStart = "AEHS"
	historyEnd   = "AEHE"
	historyTail  = 4 + 4 + len(historyEnd) // CRC, length, end mark
)

// ErrHistory is matched by the error of a history section that does not
// read (a damaged file).
var ErrHistory = errors.New("the training history in this file is damaged")

// AppendHistory writes model followed by h's section.
func AppendHistory(model []byte, h *History) []byte {
	w := &writer{}
	w.float(h.Epoch)
	w.int64(h.Samples)
	w.int64(h.Batches)
	w.float(h.Loss)
	w.points(h.Points)
	out := make([]byte, 0, len(model)+len(historyStart)+len(w.b)+historyTail)
	out = append(out, model...)
	out = append(out, historyStart...)
	out = append(out, w.b...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(w.b))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(w.b)))
	return append(out, historyEnd...)
}

// SplitHistory takes a file apart: the model file, and its history, nil
// when the file has none (written before histories were kept). A section
// that is there but does not read is ErrHistory.
func SplitHistory(file []byte) (model []byte, h *History, err error) {
	n := len(file)
	if n < historyTail || string(file[n-len(historyEnd):]) != historyEnd {
		return file, nil, nil
	}
	size := int64(binary.LittleEndian.Uint32(file[n-historyTail+4:]))
	start := int64(n-historyTail) - size
	if start < int64(len(historyStart)) || string(file[start-int64(len(historyStart)):start]) != historyStart {
		return nil, nil, ErrHistory
	}
	payload := file[start : n-historyTail]
	if crc32.ChecksumIEEE(payload) != binary.LittleEndian.Uint32(file[n-historyTail:]) {
		return nil, nil, ErrHistory
	}
	r := &reader{b: payload}
	h = &History{Epoch: r.float(), Samples: r.int64(), Batches: r.int64(), Loss: r.float()}
	h.Points = r.points()
	if r.err != nil || len(r.b) != 0 || len(h.Points) > MaxHistory || !finiteCounts(h) {
		return nil, nil, ErrHistory
	}
	return file[:start-int64(len(historyStart))], h, nil
}

func (w *writer) points(ps []HistoryPoint) {
	w.uint(uint64(len(ps)))
	for _, p := range ps {
		for _, v := range [historyFields]float64{p.Epoch, p.Samples, p.Train, p.Test, p.PCATest, p.Floor, p.Largest, p.Mean, p.Jacobian} {
			w.float(v)
		}
	}
}

// points reads what writer.points wrote; nil for none.
func (r *reader) points() []HistoryPoint {
	n := r.count(8 * historyFields)
	if n == 0 {
		return nil
	}
	ps := make([]HistoryPoint, n)
	for i := range ps {
		var v [historyFields]float64
		for j := range v {
			v[j] = r.float()
		}
		ps[i] = HistoryPoint{Epoch: v[0], Samples: v[1], Train: v[2], Test: v[3], PCATest: v[4], Floor: v[5], Largest: v[6], Mean: v[7], Jacobian: v[8]}
	}
	return ps
}

// finiteCounts reports whether h's counters are ones a run reaches.
func finiteCounts(h *History) bool {
	return h.Epoch >= 0 && h.Epoch < 1e9 && h.Samples >= 0 && h.Samples < 1e15 && h.Batches >= 0 && h.Batches < 1e15 &&
		!math.IsInf(h.Loss, 0) && !(h.Loss < 0)
}
