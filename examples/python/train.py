"""A stand-in for training, in Python: logs a loss curve, a sample text and a file."""

import xp_log as xp

cfg = xp.config()
loss = 1.0
for epoch in range(cfg["epochs"]):
    loss *= 1 - min(0.5, cfg["lr"])
    xp.scalar("loss", loss)
    xp.scalar("loss", loss * 1.1, context={"subset": "val"})
xp.text("sample", f"lr={cfg['lr']} ended at loss {loss:.4f}")
with open(xp.out("weights.txt"), "w", encoding="utf-8") as file:
    file.write(f"{loss}\n")
xp.artifact("weights", "weights.txt")
xp.metric("final_loss", loss)
xp.result({"accuracy": 1 - loss / 2, "diverged": float("nan") if loss > 1 else 0.0})
