#!/usr/bin/python3
"""Generates the tiny CLIP test fixture used by ClipModelTest.

The fixture has exactly the file layout and ONNX signatures of the real CLIP ViT-B/32 pack
(Xenova/clip-vit-base-patch32 as exported for transformers.js), with a few thousand random
weights instead of 150 million, so tests exercise the same loading code as a downloaded model:

  vision_model.onnx  pixel_values float32 [B, 3, 224, 224] -> image_embeds float32 [B, 512],
                                                              last_hidden_state [B, 1 + 7*7, W]
  text_model.onnx    input_ids    int64   [B, 77]          -> text_embeds  float32 [B, 512],
                                                              last_hidden_state [B, 77, W]

(the real export's hidden states are 768 and 512 wide; the fixture's W is 16).
  tokenizer.json     a small word-level tokenizer with CLIP's special tokens and ids

Run with Debian's python3-torch (1.13), from the repository root:
  /usr/bin/python3 models/scripts/make_clip_fixture.py engine/src/test/resources/app/tessera/engine/encode/clip-fixture
"""
import hashlib
import json
import os
import sys

import torch
from torch import nn

EMBED = 512
CONTEXT = 77
BOS, EOS = 49406, 49407


HIDDEN = 16


class Vision(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(4)
        self.proj = nn.Linear(3 * 4 * 4, EMBED)
        self.patches = nn.AdaptiveAvgPool2d(7)  # ViT-B/32 at 224 px: 7 x 7 patches
        self.patch = nn.Linear(3, HIDDEN)

    def forward(self, pixel_values):
        embeds = self.proj(torch.flatten(self.pool(pixel_values), 1))
        patches = self.patch(torch.flatten(self.patches(pixel_values), 2).transpose(1, 2))
        hidden = torch.cat([patches.mean(dim=1, keepdim=True), patches], dim=1)  # class token first
        return embeds, hidden


class Text(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(1024, HIDDEN)
        self.proj = nn.Linear(HIDDEN, EMBED)

    def forward(self, input_ids):
        # CLIP reads the features at the end-of-text token; this stand-in pools every token.
        hidden = self.embed(torch.remainder(input_ids, 1024))
        return self.proj(hidden.mean(dim=1)), hidden


def export(module, example, input_name, output_name, path):
    torch.onnx.export(
        module.eval(),
        (example,),
        path,
        input_names=[input_name],
        output_names=[output_name, "last_hidden_state"],
        dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"},
                      "last_hidden_state": {0: "batch"}},
        opset_version=13,
    )


def tokenizer(path):
    words = ["a", "photo", "of", "dog", "cat", "red", "apple", "car", "smiling", "face"]
    vocab = {"<|startoftext|>": BOS, "<|endoftext|>": EOS, "[UNK]": 0}
    for i, w in enumerate(words):
        vocab[w] = i + 1
    spec = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": BOS, "content": "<|startoftext|>", "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": True, "special": True},
            {"id": EOS, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": True, "special": True},
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|startoftext|>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {
                "<|startoftext|>": {"id": "<|startoftext|>", "ids": [BOS], "tokens": ["<|startoftext|>"]},
                "<|endoftext|>": {"id": "<|endoftext|>", "ids": [EOS], "tokens": ["<|endoftext|>"]},
            },
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1234)
    export(Vision(), torch.rand(2, 3, 224, 224), "pixel_values", "image_embeds",
           os.path.join(out, "vision_model.onnx"))
    export(Text(), torch.full((2, CONTEXT), EOS, dtype=torch.int64), "input_ids", "text_embeds",
           os.path.join(out, "text_model.onnx"))
    tokenizer(os.path.join(out, "tokenizer.json"))
    for name in ["vision_model.onnx", "text_model.onnx", "tokenizer.json"]:
        with open(os.path.join(out, name), "rb") as f:
            print(hashlib.sha256(f.read()).hexdigest(), name)


if __name__ == "__main__":
    main()
