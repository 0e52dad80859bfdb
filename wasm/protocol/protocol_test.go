package protocol

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"runtime"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// fullConfig sets every field of ae.Config to something other than its
// zero value (TestConfigRoundTripsEveryField checks that it does).
func fullConfig() ae.Config {
	return ae.Config{
		Inputs: 784, Hidden: []int{100, 16}, Activation: []ae.Activation{ae.Tanh, ae.Sigmoid},
		Output: ae.Sigmoid, Loss: ae.MSE, Init: ae.Init("xavier"), Optimizer: ae.Optimizer("momentum"),
		LR: 0.05, Momentum: 0.5, BatchSize: 32, Seed: 1 << 40, Tied: true, L2: 1e-4,
		SparseRho: 0.05, SparseBeta: 3, Contractive: 0.1, Noise: noise.Spec{Kind: noise.Kind("gaussian"), Level: 0.3},
		Schedule: ae.Schedule{Kind: ae.StepDecay, Period: 3, Gamma: 0.5, TMax: 7, Min: 1e-4},
	}
}

// examples has one message of every kind, with every field set.
func examples() []Message {
	cfg := fullConfig()
	return []Message{
		&Ping{},
		&SetConfig{Config: cfg, Compare: []ae.Config{cfg}},
		&SetNoise{Noise: noise.Spec{Kind: noise.Kind("masking"), Level: 0.25}},
		&SetDigit{Pixels: []byte{0, 1, 128, 255}},
		&SetWorkers{N: 3},
		&Play{},
		&Pause{},
		&Step{N: 10000},
		&Reset{},
		&SampleOfClass{Label: -1},
		&SampleAt{Index: 1999},
		&Save{Reason: ReasonDownload},
		&Load{Bytes: []byte("AEMODEL…"), Restored: true, Epoch: 2.5, Samples: 25000, Batches: 782, Loss: 0.031},
		&Panic{},
		&Status{Text: "Fitting PCA to 10000 digits…"},
		&Error{Text: "a helper stopped", Fatal: true, Refused: (*SampleAt)(nil).Kind()},
		&ConfigError{Text: "two fields", Fields: []FieldError{{Field: ae.FieldLR, Text: "lr must be positive"}, {Field: ae.FieldK, Text: "k ≤ 784"}}},
		&Diverged{Text: "Training diverged"},
		&Pong{},
		&Ready{Train: 10000, Test: 2000, PCAK: 64, DecodeMs: 330, FitMs: 812, Scree: []float64{0.1, 0.18}, Eigen: []byte{1, 2, 3}, NEigen: 16, Floors: []float64{0.11, 0.09, 0.08}},
		&NewModel{Arch: "784-16-784", Params: 25888, History: []HistoryPoint{{Epoch: 0.5, Samples: 5000, Train: 0.04, Test: 0.05, PCATest: 0.03, Floor: 0.025, Largest: 40, Mean: 20, Jacobian: 3}}},
		&Progress{Running: true, Epoch: 1.25, Samples: 12500, Batches: 391, Rate: 4100, Loss: 0.02, Floor: 0.018, K: 16, Workers: 2,
			MSE: true, Linear: true, Model: 1, LR: 0.002, Params: 25888, Full: true, TestLoss: 0.021, TestMSE: 0.021, PCATest: 0.018,
			Ratio: 1.17, TrainRatio: 1.1, NoisyLoss: 0.05, OutMin: -0.1, OutMax: 1.2, Angles: []float64{1.5, 30}, Grid: []byte{9, 8, 7},
			Filters: []byte{128, 0}, NFilters: 16, Scatter: []float64{-1, 1, 0.5, 2}, ScatterLabels: []byte{7, 2}, RhoHat: []float64{0.04, 0.06},
			Rho: 0.05, Jacobian: 3.2, Orthonormal: 0.004, CodeAct: "sigmoid"},
		&Recon{AE: []byte{1, 2}, PCA: []byte{3, 4}, PCAK: 16},
		&Sampled{Pixels: []byte{0, 255}, Label: 7, Index: 42},
		&Done{Req: 1 << 33, Error: "step: diverged"},
		&Model{Reason: ReasonStore, Bytes: []byte{1, 2, 3}, Arch: "784-2-784", Config: cfg, Epoch: 3, Samples: 30000, Batches: 938, Loss: 0.05},
		&ModelError{Reason: ReasonStore, Text: "there is no model yet"},
		&Loaded{Config: cfg, Arch: "784-2-784", Params: 2354, Epoch: 3.5, Restored: true},
		&LoadError{Text: "The file is empty", Restored: true},
		&Crashed{Text: "assignment to entry in nil map"},
		&ShardConfig{Config: cfg},
		&Shard{Gen: 7, Batch: 32, Theta: []float64{0.1, -0.2}, Input: []float64{0, 1}, Target: []float64{1, 0}},
		&Part{Gen: 7, Grad: []float64{0.5, -0.5}, Loss: 0.3, Data: 0.2},
		&DecodePoint{Z: []float64{-1.5, 2.25}},
		&Interpolate{A: 3, B: 1999, Steps: 8},
		&Decoded{Z: []float64{-1.5, 2.25}, AE: []byte{0, 200}},
		&Interpolated{A: 3, B: 1999, Steps: 2, AE: []byte{1, 2}, PCA: []byte{3, 4}, PCAK: 2},
	}
}

func TestEveryKindRoundTrips(t *testing.T) {
	seen := map[Kind]bool{}
	for _, m := range examples() {
		k := m.Kind()
		if seen[k] {
			t.Errorf("%s: two examples", k)
		}
		seen[k] = true
		for _, req := range []uint64{0, 1, math.MaxUint64} {
			frame := AppendRequest(nil, req, m)
			got, gotReq, err := Decode(frame)
			if err != nil {
				t.Errorf("%s: %v", k, err)
				continue
			}
			if gotReq != req || !reflect.DeepEqual(got, m) {
				t.Errorf("%s, req %d: decoded %#v, req %d; want %#v", k, req, got, gotReq, m)
			}
		}
	}
	for k := Kind(1); k < numKinds; k++ {
		if !seen[k] {
			t.Errorf("no example of %s", k)
		}
		if kinds[k].new().Kind() != k {
			t.Errorf("the table's %s makes a %s", k, kinds[k].new().Kind())
		}
	}
}

// A field of ae.Config left out of the encoding would come back zero.
func TestConfigRoundTripsEveryField(t *testing.T) {
	cfg := fullConfig()
	v := reflect.ValueOf(cfg)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("fullConfig leaves %s zero: set it, and encode it in config.go", v.Type().Field(i).Name)
		}
	}
	got, _, err := Decode(Append(nil, &SetConfig{Config: cfg}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.(*SetConfig).Config, cfg) {
		t.Errorf("got %+v, want %+v", got.(*SetConfig).Config, cfg)
	}
}

// NaN marks what was not measured: it must come back NaN.
func TestNaNSurvives(t *testing.T) {
	got, _, err := Decode(Append(nil, &Progress{Loss: math.NaN(), Floor: math.Inf(1)}))
	if err != nil {
		t.Fatal(err)
	}
	if p := got.(*Progress); !math.IsNaN(p.Loss) || !math.IsInf(p.Floor, 1) {
		t.Errorf("loss %v floor %v, want NaN and +Inf", p.Loss, p.Floor)
	}
}

// The page decodes progress and reconstructions into the last message's
// memory: once warm, nothing is allocated per message.
func TestDecoderReusesMemory(t *testing.T) {
	full := examples()[21].(*Progress)
	frame := Append(nil, full)
	quick := Append(nil, &Progress{Running: true, Epoch: 2, CodeAct: full.CodeAct})
	var d Decoder
	first, _, _ := d.Decode(frame)
	grid := &first.(*Progress).Grid[0]
	m, _, err := d.Decode(quick)
	if err != nil {
		t.Fatal(err)
	}
	if p := m.(*Progress); p.Full || len(p.Grid) != 0 || len(p.RhoHat) != 0 || p.Epoch != 2 {
		t.Errorf("a report without evaluation kept the last one's: %+v", p)
	}
	m, _, _ = d.Decode(frame)
	if !reflect.DeepEqual(m, full) {
		t.Errorf("decoded again %+v, want %+v", m, full)
	}
	if &m.(*Progress).Grid[0] != grid {
		t.Error("the grid was not decoded into the last grid's memory")
	}
	if n := testing.AllocsPerRun(100, func() {
		d.Decode(frame)
		d.Decode(quick)
	}); n != 0 {
		t.Errorf("%v allocations per progress report", n)
	}
	// Commands are kept in queues by the worker: each is a new value.
	a, _, _ := d.Decode(Append(nil, &Step{N: 1}))
	b, _, _ := d.Decode(Append(nil, &Step{N: 2}))
	if a.(*Step).N != 1 || b.(*Step).N != 2 {
		t.Errorf("a second step overwrote the first: %v %v", a, b)
	}
}

func TestBadFrames(t *testing.T) {
	good := Append(nil, &SetDigit{Pixels: []byte{1, 2, 3}})
	tests := []struct {
		name  string
		frame []byte
		want  error
	}{
		{"empty", nil, ErrFrame},
		{"kind 0", []byte{0, 0}, ErrUnknownKind},
		{"unknown kind", []byte{byte(numKinds), 0}, ErrUnknownKind},
		{"no request number", []byte{byte(kindPing)}, ErrFrame},
		{"cut short", good[:len(good)-1], ErrFrame},
		{"trailing byte", append(bytes.Clone(good), 0), ErrFrame},
		{"huge count", []byte{byte(kindSetDigit), 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, ErrFrame},
		{"bool 2", []byte{byte(kindLoadError), 0, 0, 2}, ErrFrame},
		{"int beyond 32 bits", append([]byte{byte(kindStep), 0}, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), ErrFrame},
		{"not UTF-8", []byte{byte(kindStatus), 0, 1, 0xff}, ErrFrame},
	}
	for _, tt := range tests {
		m, _, err := Decode(tt.frame)
		if !errors.Is(err, tt.want) || m != nil {
			t.Errorf("%s: %v, %v; want %v", tt.name, m, err, tt.want)
		}
	}
}

// The table: what the page's watchdog replays, in order, and what waits
// for the batch in flight. The worker's and the page's tests check that
// they behave so.
func TestRules(t *testing.T) {
	var names []string
	for _, k := range Replayed() {
		names = append(names, k.String())
	}
	if want := []string{"set-config", "set-noise", "set-digit", "set-workers"}; !reflect.DeepEqual(names, want) {
		t.Errorf("replayed %v, want %v: the settings first, then what they are shown with", names, want)
	}
	for _, m := range examples() {
		r := RulesOf(m)
		reading := map[Kind]bool{kindPing: true, kindSetNoise: true, kindSetDigit: true, kindSampleOfClass: true, kindSampleAt: true, kindSave: true,
			kindDecodePoint: true, kindInterpolate: true}
		// The commands: those before the first reply, and those added since.
		command := m.Kind() < kindStatus || m.Kind() == kindDecodePoint || m.Kind() == kindInterpolate
		if command && r.Waits == reading[m.Kind()] {
			t.Errorf("%s: waits %v; only commands that change the model or its counters wait", m.Kind(), r.Waits)
		}
		if !command && r != (Rules{}) {
			t.Errorf("%s is no command but has rules %+v", m.Kind(), r)
		}
	}
}

// FuzzDecode: no input panics, what decodes encodes to a frame that
// decodes to the same, and a frame makes at most a bounded multiple of its
// own size.
func FuzzDecode(f *testing.F) {
	for _, m := range examples() {
		f.Add(Append(nil, m))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		// The process's allocation counter also counts the fuzzer's own
		// goroutines: the least of three decodes is the decoder's.
		var (
			before, after runtime.MemStats
			m             Message
			req           uint64
			err           error
			got           uint64 = math.MaxUint64
		)
		for range 3 {
			runtime.ReadMemStats(&before)
			m, req, err = Decode(frame)
			runtime.ReadMemStats(&after)
			got = min(got, after.TotalAlloc-before.TotalAlloc)
		}
		if limit := uint64(32*len(frame) + 1024); got > limit {
			t.Fatalf("%d bytes allocated for a frame of %d", got, len(frame))
		}
		if err != nil {
			return
		}
		again := AppendRequest(nil, req, m)
		m2, req2, err := Decode(again)
		if err != nil {
			t.Fatalf("a decoded %s does not decode once encoded: %v", m.Kind(), err)
		}
		if third := AppendRequest(nil, req2, m2); !bytes.Equal(third, again) {
			t.Fatalf("%s: encoded %x, then %x", m.Kind(), again, third)
		}
	})
}

// BenchmarkDecodeProgress decodes a progress report with a held-out
// evaluation of the sizes the worker sends (the grid of 4×10 digits, 16
// filters, 500 scatter points, 16 code units), as the page does ten times
// a second.
func BenchmarkDecodeProgress(b *testing.B) {
	m := &Progress{Running: true, Full: true, K: 16, CodeAct: "sigmoid",
		Grid: make([]byte, 4*10*784), Filters: make([]byte, 16*784), NFilters: 16,
		Scatter: make([]float64, 2*500), ScatterLabels: make([]byte, 500), RhoHat: make([]float64, 16)}
	frame := Append(nil, m)
	b.ReportMetric(float64(len(frame)), "frame-bytes")
	var d Decoder
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := d.Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeModel decodes a model to store (the page autosaves every
// few seconds while training): W2's 784-64-784, 101,200 parameters.
func BenchmarkDecodeModel(b *testing.B) {
	m := &Model{Reason: ReasonStore, Arch: "784-64-784", Bytes: make([]byte, 8*101200)}
	frame := Append(nil, m)
	b.ReportMetric(float64(len(frame)), "frame-bytes")
	var d Decoder
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := d.Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeGrowingModel: the saved model grows by its history at every
// evaluation; decoding a run of them reuses the memory of the last one but
// now and then. Without grow's headroom every frame took a new buffer the
// size of the model (found in the page's heap profile: 1.6 MB a save).
func TestDecodeGrowingModel(t *testing.T) {
	const n = 200
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = Append(nil, &Model{Reason: ReasonStore, Arch: "784-64-784", Bytes: make([]byte, 8*101200+100*i)})
	}
	var d Decoder
	i := 0
	allocs := testing.AllocsPerRun(n-1, func() {
		if _, _, err := d.Decode(frames[i]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 0.05 {
		t.Errorf("%.2f allocations a model, decoding %d of them each 100 bytes longer; want nearly none", allocs, n)
	}
}

// TestExamplesSetEveryField: a field added to a message but not to its
// example would go unchecked by the round trips; this catches it.
func TestExamplesSetEveryField(t *testing.T) {
	for _, m := range examples() {
		v := reflect.ValueOf(m).Elem()
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Errorf("the example %s leaves %s zero", m.Kind(), v.Type().Field(i).Name)
			}
		}
	}
}
