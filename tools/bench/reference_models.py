"""The bench's four PyTorch reference models, shared by tools/bench/reference.py (CPU, `pnpm bench`)
and tools/gpu-check/reference_cuda.py (GPU check): the same layers and sizes as
tools/bench/src/cases.ts (NCHW here where TF.js is NHWC)."""
from torch import nn


class LastStep(nn.Module):
    """LSTM input 64, hidden 128, Linear head on the last step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(64, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.lstm(x)  # [B, T, 128]
        return self.head(out[:, -1])


class Encoder(nn.Module):
    """One post-norm TransformerEncoderLayer d 128, 4 heads, ff 512; mean-pooled Linear head."""

    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(128, 4, dim_feedforward=512, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.layer(x).mean(1))  # [B, T, 128] -> [B, 10]


def lenet5():
    """@neuralzoo/vision's lenet5 defaults."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


# case id -> (model builder, input shape; its first dimension is the batch)
CASES = {
    "mlp": (mlp, (128, 784)),
    "lenet5": (lenet5, (64, 1, 28, 28)),
    "lstm": (LastStep, (32, 32, 64)),
    "transformer": (Encoder, (16, 64, 128)),
}
