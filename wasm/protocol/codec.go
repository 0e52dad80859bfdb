package protocol

import "aeplayground/engine/ae"

// Each message's kind and fields, in wire order. get sets every field, so
// that a message decoded into the memory of the last one keeps nothing of
// it but the capacity of its slices.

func (*Ping) Kind() Kind      { return kindPing }
func (*Ping) put(*writer)     {}
func (m *Ping) get(*reader)   { *m = Ping{} }
func (*Play) Kind() Kind      { return kindPlay }
func (*Play) put(*writer)     {}
func (m *Play) get(*reader)   { *m = Play{} }
func (*Pause) Kind() Kind     { return kindPause }
func (*Pause) put(*writer)    {}
func (m *Pause) get(*reader)  { *m = Pause{} }
func (*Reset) Kind() Kind     { return kindReset }
func (*Reset) put(*writer)    {}
func (m *Reset) get(*reader)  { *m = Reset{} }
func (*Panic) Kind() Kind     { return kindPanic }
func (*Panic) put(*writer)    {}
func (m *Panic) get(*reader)  { *m = Panic{} }
func (*Pong) Kind() Kind      { return kindPong }
func (*Pong) put(*writer)     {}
func (m *Pong) get(*reader)   { *m = Pong{} }
func (*SetConfig) Kind() Kind { return kindSetConfig }
func (m *SetConfig) put(w *writer) {
	w.config(&m.Config)
	w.uint(uint64(len(m.Compare)))
	for i := range m.Compare {
		w.config(&m.Compare[i])
	}
}
func (m *SetConfig) get(r *reader) {
	m.Config = r.config()
	m.Compare = nil
	if n := r.count(minConfigBytes); n > 0 {
		m.Compare = make([]ae.Config, n)
		for i := range m.Compare {
			m.Compare[i] = r.config()
		}
	}
}
func (*SetNoise) Kind() Kind           { return kindSetNoise }
func (m *SetNoise) put(w *writer)      { w.noise(m.Noise) }
func (m *SetNoise) get(r *reader)      { m.Noise = r.noise() }
func (*SetDigit) Kind() Kind           { return kindSetDigit }
func (m *SetDigit) put(w *writer)      { w.bytes(m.Pixels) }
func (m *SetDigit) get(r *reader)      { m.Pixels = r.bytesInto(m.Pixels) }
func (*SetWorkers) Kind() Kind         { return kindSetWorkers }
func (m *SetWorkers) put(w *writer)    { w.int(m.N) }
func (m *SetWorkers) get(r *reader)    { m.N = r.int() }
func (*Step) Kind() Kind               { return kindStep }
func (m *Step) put(w *writer)          { w.int(m.N) }
func (m *Step) get(r *reader)          { m.N = r.int() }
func (*SampleOfClass) Kind() Kind      { return kindSampleOfClass }
func (m *SampleOfClass) put(w *writer) { w.int(m.Label) }
func (m *SampleOfClass) get(r *reader) { m.Label = r.int() }
func (*SampleAt) Kind() Kind           { return kindSampleAt }
func (m *SampleAt) put(w *writer)      { w.int(m.Index) }
func (m *SampleAt) get(r *reader)      { m.Index = r.int() }
func (*Save) Kind() Kind               { return kindSave }
func (m *Save) put(w *writer)          { w.string(m.Reason) }
func (m *Save) get(r *reader)          { m.Reason = r.string() }
func (*Status) Kind() Kind             { return kindStatus }
func (m *Status) put(w *writer)        { w.string(m.Text) }
func (m *Status) get(r *reader)        { m.Text = r.string() }
func (*Diverged) Kind() Kind           { return kindDiverged }
func (m *Diverged) put(w *writer)      { w.string(m.Text) }
func (m *Diverged) get(r *reader)      { m.Text = r.string() }
func (*Crashed) Kind() Kind            { return kindCrashed }
func (m *Crashed) put(w *writer)       { w.string(m.Text) }
func (m *Crashed) get(r *reader)       { m.Text = r.string() }
func (*ShardConfig) Kind() Kind        { return kindShardConfig }
func (m *ShardConfig) put(w *writer)   { w.config(&m.Config) }
func (m *ShardConfig) get(r *reader)   { m.Config = r.config() }

func (*Load) Kind() Kind { return kindLoad }
func (m *Load) put(w *writer) {
	w.bytes(m.Bytes)
	w.bool(m.Restored)
	w.float(m.Epoch)
	w.int64(m.Samples)
	w.int64(m.Batches)
	w.float(m.Loss)
}
func (m *Load) get(r *reader) {
	m.Bytes = r.bytesInto(m.Bytes)
	m.Restored = r.bool()
	m.Epoch = r.float()
	m.Samples = r.int64()
	m.Batches = r.int64()
	m.Loss = r.float()
}

func (*Error) Kind() Kind { return kindError }
func (m *Error) put(w *writer) {
	w.string(m.Text)
	w.bool(m.Fatal)
	w.uint(uint64(m.Refused))
}
func (m *Error) get(r *reader) {
	m.Text = r.string()
	m.Fatal = r.bool()
	m.Refused = Kind(r.uint())
}

func (*ConfigError) Kind() Kind { return kindConfigError }
func (m *ConfigError) put(w *writer) {
	w.string(m.Text)
	w.uint(uint64(len(m.Fields)))
	for _, f := range m.Fields {
		w.string(string(f.Field))
		w.string(f.Text)
	}
}
func (m *ConfigError) get(r *reader) {
	m.Text = r.string()
	m.Fields = nil
	if n := r.count(2); n > 0 { // each field error is at least two bytes
		m.Fields = make([]FieldError, n)
		for i := range m.Fields {
			m.Fields[i] = FieldError{Field: ae.Field(r.string()), Text: r.string()}
		}
	}
}

func (*Ready) Kind() Kind { return kindReady }
func (m *Ready) put(w *writer) {
	w.int(m.Train)
	w.int(m.Test)
	w.int(m.PCAK)
	w.float(m.DecodeMs)
	w.float(m.FitMs)
	w.floats(m.Scree)
	w.bytes(m.Eigen)
	w.int(m.NEigen)
	w.floats(m.Floors)
}
func (m *Ready) get(r *reader) {
	m.Train = r.int()
	m.Test = r.int()
	m.PCAK = r.int()
	m.DecodeMs = r.float()
	m.FitMs = r.float()
	m.Scree = r.floatsInto(m.Scree)
	m.Eigen = r.bytesInto(m.Eigen)
	m.NEigen = r.int()
	m.Floors = r.floatsInto(m.Floors)
}

func (*NewModel) Kind() Kind { return kindNewModel }
func (m *NewModel) put(w *writer) {
	w.string(m.Arch)
	w.int(m.Params)
	w.points(m.History)
}
func (m *NewModel) get(r *reader) {
	m.Arch = r.string()
	m.Params = r.int()
	m.History = r.points()
}

func (*Progress) Kind() Kind { return kindProgress }
func (m *Progress) put(w *writer) {
	w.bool(m.Running)
	w.float(m.Epoch)
	w.int64(m.Samples)
	w.int64(m.Batches)
	w.float(m.Rate)
	w.float(m.Loss)
	w.float(m.Floor)
	w.int(m.K)
	w.int(m.Workers)
	w.bool(m.MSE)
	w.bool(m.Linear)
	w.int(m.Model)
	w.float(m.LR)
	w.int(m.Params)
	w.bool(m.Full)
	w.float(m.TestLoss)
	w.float(m.TestMSE)
	w.float(m.PCATest)
	w.float(m.Ratio)
	w.float(m.TrainRatio)
	w.float(m.NoisyLoss)
	w.float(m.OutMin)
	w.float(m.OutMax)
	w.floats(m.Angles)
	w.bytes(m.Grid)
	w.bytes(m.Filters)
	w.int(m.NFilters)
	w.floats(m.Scatter)
	w.bytes(m.ScatterLabels)
	w.floats(m.RhoHat)
	w.float(m.Rho)
	w.float(m.Jacobian)
	w.float(m.Orthonormal)
	w.string(m.CodeAct)
}
func (m *Progress) get(r *reader) {
	m.Running = r.bool()
	m.Epoch = r.float()
	m.Samples = r.int64()
	m.Batches = r.int64()
	m.Rate = r.float()
	m.Loss = r.float()
	m.Floor = r.float()
	m.K = r.int()
	m.Workers = r.int()
	m.MSE = r.bool()
	m.Linear = r.bool()
	m.Model = r.int()
	m.LR = r.float()
	m.Params = r.int()
	m.Full = r.bool()
	m.TestLoss = r.float()
	m.TestMSE = r.float()
	m.PCATest = r.float()
	m.Ratio = r.float()
	m.TrainRatio = r.float()
	m.NoisyLoss = r.float()
	m.OutMin = r.float()
	m.OutMax = r.float()
	m.Angles = r.floatsInto(m.Angles)
	m.Grid = r.bytesInto(m.Grid)
	m.Filters = r.bytesInto(m.Filters)
	m.NFilters = r.int()
	m.Scatter = r.floatsInto(m.Scatter)
	m.ScatterLabels = r.bytesInto(m.ScatterLabels)
	m.RhoHat = r.floatsInto(m.RhoHat)
	m.Rho = r.float()
	m.Jacobian = r.float()
	m.Orthonormal = r.float()
	m.CodeAct = r.stringLike(m.CodeAct)
}

func (*Recon) Kind() Kind { return kindRecon }
func (m *Recon) put(w *writer) {
	w.bytes(m.AE)
	w.bytes(m.PCA)
	w.int(m.PCAK)
}
func (m *Recon) get(r *reader) {
	m.AE = r.bytesInto(m.AE)
	m.PCA = r.bytesInto(m.PCA)
	m.PCAK = r.int()
}

func (*Sampled) Kind() Kind { return kindSampled }
func (m *Sampled) put(w *writer) {
	w.bytes(m.Pixels)
	w.int(m.Label)
	w.int(m.Index)
}
func (m *Sampled) get(r *reader) {
	m.Pixels = r.bytesInto(m.Pixels)
	m.Label = r.int()
	m.Index = r.int()
}

func (*Done) Kind() Kind { return kindDone }
func (m *Done) put(w *writer) {
	w.uint(m.Req)
	w.string(m.Error)
}
func (m *Done) get(r *reader) {
	m.Req = r.uint()
	m.Error = r.string()
}

func (*Model) Kind() Kind { return kindModel }
func (m *Model) put(w *writer) {
	w.string(m.Reason)
	w.bytes(m.Bytes)
	w.string(m.Arch)
	w.config(&m.Config)
	w.float(m.Epoch)
	w.int64(m.Samples)
	w.int64(m.Batches)
	w.float(m.Loss)
}
func (m *Model) get(r *reader) {
	m.Reason = r.stringLike(m.Reason)
	m.Bytes = r.bytesInto(m.Bytes)
	m.Arch = r.stringLike(m.Arch)
	m.Config = r.config()
	m.Epoch = r.float()
	m.Samples = r.int64()
	m.Batches = r.int64()
	m.Loss = r.float()
}

func (*ModelError) Kind() Kind { return kindModelError }
func (m *ModelError) put(w *writer) {
	w.string(m.Reason)
	w.string(m.Text)
}
func (m *ModelError) get(r *reader) {
	m.Reason = r.string()
	m.Text = r.string()
}

func (*Loaded) Kind() Kind { return kindLoaded }
func (m *Loaded) put(w *writer) {
	w.config(&m.Config)
	w.string(m.Arch)
	w.int(m.Params)
	w.float(m.Epoch)
	w.bool(m.Restored)
}
func (m *Loaded) get(r *reader) {
	m.Config = r.config()
	m.Arch = r.string()
	m.Params = r.int()
	m.Epoch = r.float()
	m.Restored = r.bool()
}

func (*LoadError) Kind() Kind { return kindLoadError }
func (m *LoadError) put(w *writer) {
	w.string(m.Text)
	w.bool(m.Restored)
}
func (m *LoadError) get(r *reader) {
	m.Text = r.string()
	m.Restored = r.bool()
}

func (*Shard) Kind() Kind { return kindShard }
func (m *Shard) put(w *writer) {
	w.int(m.Gen)
	w.int(m.Batch)
	w.floats(m.Theta)
	w.floats(m.Input)
	w.floats(m.Target)
}
func (m *Shard) get(r *reader) {
	m.Gen = r.int()
	m.Batch = r.int()
	m.Theta = r.floatsInto(m.Theta)
	m.Input = r.floatsInto(m.Input)
	m.Target = r.floatsInto(m.Target)
}

func (*Part) Kind() Kind { return kindPart }
func (m *Part) put(w *writer) {
	w.int(m.Gen)
	w.floats(m.Grad)
	w.float(m.Loss)
	w.float(m.Data)
}
func (m *Part) get(r *reader) {
	m.Gen = r.int()
	m.Grad = r.floatsInto(m.Grad)
	m.Loss = r.float()
	m.Data = r.float()
}

func (*DecodePoint) Kind() Kind      { return kindDecodePoint }
func (m *DecodePoint) put(w *writer) { w.floats(m.Z) }
func (m *DecodePoint) get(r *reader) { m.Z = r.floatsInto(m.Z) }

func (*Interpolate) Kind() Kind { return kindInterpolate }
func (m *Interpolate) put(w *writer) {
	w.int(m.A)
	w.int(m.B)
	w.int(m.Steps)
}
func (m *Interpolate) get(r *reader) {
	m.A = r.int()
	m.B = r.int()
	m.Steps = r.int()
}

func (*Decoded) Kind() Kind { return kindDecoded }
func (m *Decoded) put(w *writer) {
	w.floats(m.Z)
	w.bytes(m.AE)
}
func (m *Decoded) get(r *reader) {
	m.Z = r.floatsInto(m.Z)
	m.AE = r.bytesInto(m.AE)
}

func (*Interpolated) Kind() Kind { return kindInterpolated }
func (m *Interpolated) put(w *writer) {
	w.int(m.A)
	w.int(m.B)
	w.int(m.Steps)
	w.bytes(m.AE)
	w.bytes(m.PCA)
	w.int(m.PCAK)
}
func (m *Interpolated) get(r *reader) {
	m.A = r.int()
	m.B = r.int()
	m.Steps = r.int()
	m.AE = r.bytesInto(m.AE)
	m.PCA = r.bytesInto(m.PCA)
	m.PCAK = r.int()
}
