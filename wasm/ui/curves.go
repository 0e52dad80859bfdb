package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// curveRow is one held-out evaluation, a row of the CSV.
type curveRow struct {
	Epoch, Samples, Train, Test, Floor float64
	Angles                             []float64
}

// curveCSV writes the rows as CSV with a header; the angle columns are as
// many as the widest row has (none for a nonlinear model).
func curveCSV(rows []curveRow) []byte {
	na := 0
	for _, r := range rows {
		na = max(na, len(r.Angles))
	}
	var b strings.Builder
	b.WriteString("epoch,samples,train_loss,heldout_loss,pca_floor")
	for i := range na {
		fmt.Fprintf(&b, ",angle_%d_deg", i+1)
	}
	b.WriteString("\r\n")
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', 8, 64)
	}
	for _, r := range rows {
		b.WriteString(num(r.Epoch) + "," + num(r.Samples) + "," + num(r.Train) + "," + num(r.Test) + "," + num(r.Floor))
		for i := range na {
			b.WriteByte(',')
			if i < len(r.Angles) {
				b.WriteString(num(r.Angles[i]))
			}
		}
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}
