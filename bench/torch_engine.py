#!/usr/bin/env python3
"""PyTorch side of `deepclust bench engine`: the same autoencoder, batch, optimizer and data size.

Run as: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_engine.py --steps 64 --warmup 8 --threads 2
Prints one JSON line: {"samples_per_s": ..., "step_ms": ..., "torch": version}.
"""
import argparse, json, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--dims", default="784,500,500,2000,10,2000,500,500,784")
p.add_argument("--batch", type=int, default=256)
p.add_argument("--steps", type=int, default=64)
p.add_argument("--warmup", type=int, default=8)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
dims = [int(d) for d in a.dims.split(",")]
code = (len(dims) - 1) // 2 - 1
layers = []
for i in range(len(dims) - 1):
    layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
    if i != len(dims) - 2 and i != code:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
data = torch.rand(a.warmup + a.steps, a.batch, dims[0])


def step(x):
    opt.zero_grad(set_to_none=True)
    loss = torch.mean((model(x) - x) ** 2)
    loss.backward()
    opt.step()
    return loss


for s in range(a.warmup):
    step(data[s])
t0 = time.perf_counter()
for s in range(a.steps):
    loss = step(data[a.warmup + s])
loss.item()
dt = time.perf_counter() - t0
print(json.dumps({"samples_per_s": a.steps * a.batch / dt, "step_ms": 1000 * dt / a.steps, "torch": torch.__version__, "final_loss": float(loss)}))
