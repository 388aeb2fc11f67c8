"""Independent float64 reference for lnsgd's sharpness estimates (PyTorch).

Usage: /usr/bin/python3 hessian_reference.py DIR
DIR holds meta.json, theta.f32, x.f32, y.i32 and grad.f32 (little-endian raw arrays)
written by lnsgd; meta.json: {"model": "mlp" | "cnn-small" | "resnet18", "options":
{...the zoo model's options...}, "n": samples, "loss": lnsgd's loss, "eta" (or "eta_times_top": η = it/λ_max), "beta",
"full_hessian_max": largest dimension for the dense Hessian (default 8000)}.

The script rebuilds the zoo model's loss from θ in float64 with PyTorch's own ops
(F.relu, F.max_pool2d, F.conv2d, a GroupNorm written from its definition, log-softmax
cross-entropy), sharing no code with lnsgd. It first checks that it reproduces
lnsgd's loss and gradient (relative errors reported; the caller asserts ≤ 1e-6 in
float64 of lnsgd's float32 numbers, i.e. to float32 rounding), then builds the dense
Hessian by double backward (PyTorch treats ReLU masks and max-pool choices as
constant: the a.e. Hessian) and reports its eigenvalues' λ_max, tr ∇²L and
R(θ) = −(1+β)/(2η) · Σ log(1 − η λ_i / (2(1+β)))  (≈ tr∇²L/4 for small η) (null when some η λ_i ≥ 2(1+β)).

Prints one JSON line: loss, loss_rel_err, grad_rel_err, top_eigenvalue, trace_hessian,
implicit_regularizer, eta, dim, seconds. Optional diagnostic inputs: probes.f64 (m·dim
float64 directions u) adds probe_quadratic = [uᵀHu]; with probe_hv.f64 (lnsgd's H·u for
the same directions) also probe_hv_rel_err = [‖ours − Hu‖/‖Hu‖]. An empty file
want_hessian makes it write the dense Hessian to hessian.f64 (float64, row-major).
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def layout_mlp(opts):
    sizes = opts.get("sizes", [784, 512, 10])
    entries = []
    for l in range(len(sizes) - 1):
        entries.append((f"dense{l}.kernel", [sizes[l], sizes[l + 1]]))
        entries.append((f"dense{l}.bias", [sizes[l + 1]]))
    return entries


def loss_mlp(opts, w, x, y):
    sizes = opts.get("sizes", [784, 512, 10])
    act = opts.get("activation", "relu")
    h = x.reshape(x.shape[0], sizes[0])
    for l in range(len(sizes) - 1):
        h = h @ w[2 * l] + w[2 * l + 1]
        if l + 2 < len(sizes):
            h = F.relu(h) if act == "relu" else torch.tanh(h)
    return F.cross_entropy(h, y)


def same_pad(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def conv_same(a, kernel, stride):
    # a NCHW; kernel in TF layout [kh, kw, in, out]
    kh, kw = kernel.shape[0], kernel.shape[1]
    top, bottom = same_pad(a.shape[2], kh, stride)
    left, right = same_pad(a.shape[3], kw, stride)
    a = F.pad(a, (left, right, top, bottom))
    return F.conv2d(a.contiguous(), kernel.permute(3, 2, 0, 1).contiguous(), stride=stride)


def layout_cnn(opts):
    h, w, c = opts.get("inputShape", [28, 28, 1])
    k = opts.get("numClasses", 10)
    flat = (h // 2 // 2) * (w // 2 // 2) * 32
    return [("conv1.kernel", [3, 3, c, 16]), ("conv1.bias", [16]), ("conv2.kernel", [3, 3, 16, 32]),
            ("conv2.bias", [32]), ("dense.kernel", [flat, k]), ("dense.bias", [k])]


def loss_cnn(opts, w, x, y):
    h, wd, c = opts.get("inputShape", [28, 28, 1])
    k1, b1, k2, b2, kd, bd = w
    a = x.reshape(x.shape[0], h, wd, c).permute(0, 3, 1, 2)
    a = F.max_pool2d(F.relu(conv_same(a, k1, 1) + b1.reshape(1, -1, 1, 1)), 2)
    a = F.max_pool2d(F.relu(conv_same(a, k2, 1) + b2.reshape(1, -1, 1, 1)), 2)
    flat = a.permute(0, 2, 3, 1).reshape(a.shape[0], -1)  # NHWC flatten, as tfjs
    return F.cross_entropy(flat @ kd + bd, y)


def resnet_blocks(opts):
    width = opts.get("width", 64)
    blocks = []
    in_c = width
    for stage in range(4):
        out_c = width * 2 ** stage
        for b in range(2):
            stride = 2 if stage > 0 and b == 0 else 1
            blocks.append((in_c, out_c, stride, stride != 1 or in_c != out_c))
            in_c = out_c
    return blocks, in_c


def layout_resnet(opts):
    width = opts.get("width", 64)
    c_in = opts.get("inputShape", [32, 32, 3])[2]
    k = opts.get("numClasses", 10)
    entries = []

    def conv(prefix, shape):
        entries.extend([(prefix + ".kernel", shape), (prefix + ".gn.gamma", [shape[3]]), (prefix + ".gn.beta", [shape[3]])])

    conv("stem", [3, 3, c_in, width])
    blocks, last = resnet_blocks(opts)
    for i, (ic, oc, stride, proj) in enumerate(blocks):
        conv(f"b{i}.conv1", [3, 3, ic, oc])
        conv(f"b{i}.conv2", [3, 3, oc, oc])
        if proj:
            conv(f"b{i}.shortcut", [1, 1, ic, oc])
    entries.append(("fc.kernel", [last, k]))
    entries.append(("fc.bias", [k]))
    return entries


def group_norm(a, gamma, beta, groups):
    n, c, h, w = a.shape
    g = a.reshape(n, groups, c // groups, h, w)
    mean = g.mean(dim=(2, 3, 4), keepdim=True)
    var = ((g - mean) ** 2).mean(dim=(2, 3, 4), keepdim=True)
    g = (g - mean) / torch.sqrt(var + 1e-5)
    return g.reshape(n, c, h, w) * gamma.reshape(1, -1, 1, 1) + beta.reshape(1, -1, 1, 1)


def loss_resnet(opts, w, x, y):
    h, wd, c = opts.get("inputShape", [32, 32, 3])
    groups = opts.get("groups", 32)
    it = iter(w)

    def conv_norm(a, stride):
        kernel, gamma, beta = next(it), next(it), next(it)
        return group_norm(conv_same(a, kernel, stride), gamma, beta, math.gcd(groups, kernel.shape[3]))

    a = F.relu(conv_norm(x.reshape(x.shape[0], h, wd, c).permute(0, 3, 1, 2), 1))
    blocks, _ = resnet_blocks(opts)
    for (_, _, stride, proj) in blocks:
        # θ order: conv1, conv2, shortcut
        k1, g1, be1, k2, g2, be2 = [next(it) for _ in range(6)]
        short = a
        if proj:
            ks, gs, bs = next(it), next(it), next(it)
            short = group_norm(conv_same(a, ks, stride), gs, bs, math.gcd(groups, ks.shape[3]))
        hh = F.relu(group_norm(conv_same(a, k1, stride), g1, be1, math.gcd(groups, k1.shape[3])))
        a = F.relu(group_norm(conv_same(hh, k2, 1), g2, be2, math.gcd(groups, k2.shape[3])) + short)
    pooled = a.mean(dim=(2, 3))
    return F.cross_entropy(pooled @ next(it) + next(it), y)


MODELS = {"mlp": (layout_mlp, loss_mlp), "cnn-small": (layout_cnn, loss_cnn), "resnet18": (layout_resnet, loss_resnet)}


def main(d):
    t0 = time.time()
    meta = json.load(open(os.path.join(d, "meta.json")))
    layout, loss_of = MODELS[meta["model"]]
    opts = meta.get("options", {})
    theta = torch.from_numpy(np.fromfile(os.path.join(d, "theta.f32"), dtype="<f4").astype(np.float64))
    x = torch.from_numpy(np.fromfile(os.path.join(d, "x.f32"), dtype="<f4").astype(np.float64)).reshape(meta["n"], -1)
    y = torch.from_numpy(np.fromfile(os.path.join(d, "y.i32"), dtype="<i4").astype(np.int64))
    grad_lnsgd = np.fromfile(os.path.join(d, "grad.f32"), dtype="<f4").astype(np.float64)
    entries = layout(opts)
    sizes = [int(np.prod(s)) for _, s in entries]
    if sum(sizes) != theta.numel():
        raise SystemExit(f"layout has {sum(sizes)} parameters, theta.f32 has {theta.numel()}")

    def loss_flat(t):
        parts = torch.split(t, sizes)
        return loss_of(opts, [p.reshape(s) for p, (_, s) in zip(parts, entries)], x, y)

    t = theta.clone().requires_grad_(True)
    loss = loss_flat(t)
    (g,) = torch.autograd.grad(loss, t, create_graph=True)
    loss_rel = abs(loss.item() - meta["loss"]) / max(abs(loss.item()), 1e-300)
    grad_rel = float(np.linalg.norm(g.detach().numpy() - grad_lnsgd) / max(np.linalg.norm(g.detach().numpy()), 1e-300))
    n = theta.numel()
    if n > meta.get("full_hessian_max", 8000):
        raise SystemExit(f"dimension {n} above full_hessian_max")
    eye = torch.eye(n)
    rows = []
    chunk = max(1, min(n, 4_000_000 // max(n, 1)))
    batched = meta["model"] == "mlp"  # vmap over conv double backward is not implemented in torch 1.13
    for i in range(0, n, chunk if batched else 1):
        if batched:
            (h,) = torch.autograd.grad(g, t, grad_outputs=eye[i:i + chunk], retain_graph=True, is_grads_batched=True)
        else:
            (h,) = torch.autograd.grad(g, t, grad_outputs=eye[i], retain_graph=True)
            h = h.unsqueeze(0)
        rows.append(h)
    hess = torch.cat(rows).numpy()
    asym = float(np.abs(hess - hess.T).max() / max(np.abs(hess).max(), 1e-300))
    hess = (hess + hess.T) / 2
    lam = np.linalg.eigvalsh(hess)
    beta = meta.get("beta", 0.0)
    # "eta_times_top": choose η so that η·λ_max equals it (R well defined and non-linear).
    eta = meta["eta_times_top"] / lam[-1] if "eta_times_top" in meta else meta.get("eta", 1.0)
    a = eta / (2 * (1 + beta))
    reg = None
    if np.all(a * lam < 1):
        reg = float(-(1 + beta) / (2 * eta) * np.sum(np.log1p(-a * lam)))
    out = {}
    if os.path.exists(os.path.join(d, "want_hessian")):
        # Diagnostic: the dense (symmetrized) float64 Hessian, row-major, for exact products.
        hess.astype("<f8").tofile(os.path.join(d, "hessian.f64"))
    probe_path = os.path.join(d, "probes.f64")
    if os.path.exists(probe_path):
        # Diagnostic: directions u (and optionally lnsgd's H·u for them) to compare
        # quadratic forms and products against the dense Hessian.
        u = np.fromfile(probe_path, dtype="<f8").reshape(-1, n)
        hu = u @ hess
        out["probe_quadratic"] = [float(q) for q in np.einsum("ij,ij->i", u, hu)]
        hv_path = os.path.join(d, "probe_hv.f64")
        if os.path.exists(hv_path):
            ours = np.fromfile(hv_path, dtype="<f8").reshape(-1, n)
            out["probe_hv_rel_err"] = [float(np.linalg.norm(o - h) / max(np.linalg.norm(h), 1e-300)) for o, h in zip(ours, hu)]
    print(json.dumps({
        **out,
        "loss": loss.item(), "loss_rel_err": loss_rel, "grad_rel_err": grad_rel, "dim": n,
        "top_eigenvalue": float(lam[-1]), "trace_hessian": float(np.trace(hess)),
        "implicit_regularizer": reg, "eta": eta, "hessian_asymmetry": asym, "seconds": time.time() - t0,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
