package ae

import "testing"

// The two workloads of the speed issues, on the first 10,000 training digits.
var workloads = []struct {
	name string
	cfg  Config
}{
	{"W1-784-32-784-leaky-sigmoid-b256", Config{Inputs: 784, Hidden: []int{32}, Activation: []Activation{LeakyReLU},
		Output: Sigmoid, Loss: MSE, Init: InitSurvey, Optimizer: Adam, LR: 0.005, BatchSize: 256, Seed: 123}},
	{"W2-784-64-784-sigmoid-sigmoid-b32", Config{Inputs: 784, Hidden: []int{64}, Activation: []Activation{Sigmoid},
		Output: Sigmoid, Loss: MSE, Init: InitPyTorch, Optimizer: Adam, LR: 0.001, BatchSize: 32, Seed: 1}},
}

// BenchmarkTrain reports training throughput in samples per second and the
// achieved GFLOP/s of the three matrix products (2·in·out flops each per
// digit and layer).
func BenchmarkTrain(b *testing.B) {
	data := bundleDigits(b, 10000, 0)
	for _, w := range workloads {
		b.Run(w.name, func(b *testing.B) {
			tr, err := NewTrainer(w.cfg, data, nil)
			if err != nil {
				b.Fatal(err)
			}
			tr.Step(1)
			const batches = 20
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tr.Step(batches); err != nil {
					b.Fatal(err)
				}
			}
			samples := float64(b.N * batches * w.cfg.BatchSize)
			secs := b.Elapsed().Seconds()
			flops := 0.0
			for _, ly := range tr.Model().layers {
				flops += 3 * 2 * float64(ly.in*ly.out)
			}
			b.ReportMetric(samples/secs, "samples/s")
			b.ReportMetric(samples*flops/secs/1e9, "GFLOP/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
