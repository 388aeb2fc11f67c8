"""PyTorch reference for `npm run bench -- compute`: one training step of the
same models, shapes, batch and loss as the lnsgd zoo, on one thread.

Usage: python3 compute_ref.py '{"model": "mlp", "batch": 256, "steps": 10, "warmup": 3}'
Prints one JSON line: {"model", "batch", "ms": [per-step milliseconds], "torch", "threads"}.

A step is what the trainer's hot path does: forward, mean softmax cross-entropy,
gradients of every parameter (torch.autograd.grad) and the loss read back.
  mlp: 784-512-10, ReLU, x [B, 784].
  cnn: conv3x3(1->16, same) ReLU maxpool2 -> conv3x3(16->32, same) ReLU maxpool2
       -> dense(1568 -> 10), x [B, 1, 28, 28] (NCHW: PyTorch's native layout).
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def mlp_params(gen):
    return [
        torch.randn(784, 512, generator=gen) * (2 / 784) ** 0.5,
        torch.zeros(512),
        torch.randn(512, 10, generator=gen) * (2 / 512) ** 0.5,
        torch.zeros(10),
    ]


def mlp_loss(p, x, y):
    w1, b1, w2, b2 = p
    return F.cross_entropy(F.relu(x @ w1 + b1) @ w2 + b2, y)


def cnn_params(gen):
    return [
        torch.randn(16, 1, 3, 3, generator=gen) * (2 / 9) ** 0.5,
        torch.zeros(16),
        torch.randn(32, 16, 3, 3, generator=gen) * (2 / 144) ** 0.5,
        torch.zeros(32),
        torch.randn(1568, 10, generator=gen) * (2 / 1568) ** 0.5,
        torch.zeros(10),
    ]


def cnn_loss(p, x, y):
    k1, b1, k2, b2, kd, bd = p
    h = F.max_pool2d(F.relu(F.conv2d(x, k1, b1, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, k2, b2, padding=1)), 2)
    return F.cross_entropy(h.flatten(1) @ kd + bd, y)


MODELS = {
    "mlp": (mlp_params, mlp_loss, (784,)),
    "cnn": (cnn_params, cnn_loss, (1, 28, 28)),
}


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(1)
    make_params, loss_fn, sample_shape = MODELS[spec["model"]]
    batch = int(spec["batch"])
    gen = torch.Generator().manual_seed(1)
    params = [t.requires_grad_() for t in make_params(gen)]
    x = torch.randn(batch, *sample_shape, generator=gen)
    y = torch.arange(batch) % 10

    def step():
        loss = loss_fn(params, x, y)
        torch.autograd.grad(loss, params)
        return loss.item()

    for _ in range(int(spec.get("warmup", 3))):
        step()
    times = []
    for _ in range(int(spec["steps"])):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({
        "model": spec["model"],
        "batch": batch,
        "ms": times,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
