package page

import "testing"

func TestAddRowThins(t *testing.T) {
	var rows []CurveRow
	rows = AddRow(rows, CurveRow{Epoch: 1, Samples: 10, Test: 0.5})
	rows = AddRow(rows, CurveRow{Epoch: 1, Samples: 10, Test: 0.4}) // evaluated again at a pause
	if len(rows) != 1 || rows[0].Test != 0.4 {
		t.Fatalf("the same point twice: %+v", rows)
	}
	for i := 2; len(rows) < maxCurveRows; i++ {
		rows = AddRow(rows, CurveRow{Epoch: float64(i), Samples: float64(10 * i)})
	}
	rows = AddRow(rows, CurveRow{Epoch: 1e9, Samples: 1e10})
	if len(rows) != maxCurveRows/2+1 || rows[0].Samples != 10 || rows[1].Samples != 30 {
		t.Errorf("past %d rows: %d rows, first %+v; want every other row kept from the first", maxCurveRows, len(rows), rows[0])
	}
}
