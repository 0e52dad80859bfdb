package api

import (
	"math"

	"aeplayground/engine/ae"
)

// State is getState's result, the one schema of it: the page fills it in
// and the browser tests decode it. Numbers not measured yet are null.
type State struct {
	Ready              bool       `json:"ready"`
	Running            bool       `json:"running"`
	Epoch              float64    `json:"epoch"`
	SamplesSeen        float64    `json:"samplesSeen"`
	TrainLoss          *float64   `json:"trainLoss"`
	TestLoss           *float64   `json:"testLoss"`
	PCAFloor           *float64   `json:"pcaFloor"`
	LossOverFloor      *float64   `json:"lossOverFloor"`  // held-out squared error over PCA's on the same held-out digits
	TrainOverFloor     *float64   `json:"trainOverFloor"` // squared error over all training digits over PCA's floor on them; measured when paused
	TestMSE            *float64   `json:"testMSE"`
	PCATestError       *float64   `json:"pcaTestError"` // PCA's squared error on the held-out digits at the model's k
	LR                 float64    `json:"lr"`           // the learning rate of the current epoch
	Lesson             *Lesson    `json:"lesson"`
	K                  int        `json:"k"`
	Workers            int        `json:"workers"` // sharing each batch: 1 for a sparse model
	PrincipalAnglesDeg []*float64 `json:"principalAnglesDeg"`
	Preset             string     `json:"preset"`
	Modified           []string   `json:"modified"`
	Config             ae.Config  `json:"config"`
	Link               string     `json:"link"`
	Digit              string     `json:"digit"` // "", "test", "drawn"
	DigitIndex         *int       `json:"digitIndex,omitempty"`
}

// Lesson is getState's lesson: the step, whether its checkpoint holds, and
// its sentence, as the lesson card shows it.
type Lesson struct {
	ID       string `json:"id"`
	Passed   bool   `json:"passed"`
	Evidence string `json:"evidence"`
}

// Num is x, or nil (null in JSON) for a NaN or an infinity.
func Num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
