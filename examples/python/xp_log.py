"""xp_log: log to xp from a Python trial, with no dependencies (xp's trial protocol, README).

    import xp_log as xp
    cfg = xp.config()                      # the trial's params (XP_CONFIG)
    for step in range(100):
        xp.scalar("loss", 1 / (step + 1))  # step defaults to one past the last of that series
    xp.metric("accuracy", 0.93)
    xp.result({"accuracy": 0.93})
"""

import json
import math
import os
import time

_steps = {}


def _path(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run this script as an xp trial (xp run)")
    return value


def _plain(value):
    # JSON has no NaN or infinities: xp's protocol writes them as strings.
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _emit(event):
    with open(_path("XP_EVENTS"), "a", encoding="utf-8") as events:
        events.write(json.dumps(_plain(event), separators=(",", ":"), allow_nan=False) + "\n")


def config():
    """The trial's resolved params."""
    with open(_path("XP_CONFIG"), encoding="utf-8") as file:
        return json.load(file)


def deps():
    """Each dependency: stage, name, key, result, out."""
    with open(_path("XP_DEPS"), encoding="utf-8") as file:
        return json.load(file)


def out(*parts):
    """A path inside the trial's output directory."""
    return os.path.join(_path("XP_OUT"), *parts)


def scalar(name, value, step=None, context=None):
    """One point of a step series; series are told apart by name and context."""
    series = (name, json.dumps(context, sort_keys=True))
    step = _steps.get(series, 0) if step is None else step
    _steps[series] = step + 1
    event = {"t": "scalar", "name": name, "value": float(value), "step": step, "time": time.time()}
    if context:
        event["context"] = context
    _emit(event)


def metric(name, value):
    """A final value; the last one wins."""
    _emit({"t": "metric", "name": name, "value": float(value)})


def param(name, value):
    """A recorded param that is not part of the trial's key."""
    _emit({"t": "param", "name": name, "value": value})


def text(name, value, step=None):
    """A text, e.g. a sample output."""
    event = {"t": "text", "name": name, "value": str(value)}
    if step is not None:
        event["step"] = step
    _emit(event)


def artifact(name, path):
    """A file in out/ to keep (path relative to out/)."""
    _emit({"t": "artifact", "name": name, "path": path})


def image(name, path, step=None):
    """An image in out/ (png, jpeg, webp or svg; path relative to out/)."""
    event = {"t": "image", "name": name, "path": path}
    if step is not None:
        event["step"] = step
    _emit(event)


def figure(name, spec):
    """A Plotly figure spec (a dict)."""
    _emit({"t": "figure", "name": name, "format": "plotly", "spec": spec})


def result(value):
    """The trial's result (JSON); its numeric leaves become metrics."""
    _emit({"t": "result", "value": value})
