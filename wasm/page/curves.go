package page

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CurveRow is one held-out evaluation, a row of the CSV.
type CurveRow struct {
	Epoch, Samples, Train, Test, Floor float64
	Angles                             []float64
}

// CurveCSV writes the rows as CSV with a header; the angle columns are as
// many as the widest row has (none for a nonlinear model).
func CurveCSV(rows []CurveRow) []byte {
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

// maxCurveRows bounds the CSV kept in memory: older rows are thinned.
const maxCurveRows = 20000

// AddRow appends r, or replaces the last row when it is the same point
// evaluated again (a pause); past maxCurveRows every other row goes.
func AddRow(rows []CurveRow, r CurveRow) []CurveRow {
	if n := len(rows); n > 0 && rows[n-1].Samples == r.Samples && rows[n-1].Epoch == r.Epoch {
		rows[n-1] = r
		return rows
	}
	rows = append(rows, r)
	if len(rows) > maxCurveRows {
		n := 0
		for i := 0; i < len(rows); i += 2 {
			rows[n] = rows[i]
			n++
		}
		rows = rows[:n]
	}
	return rows
}
