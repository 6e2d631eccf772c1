import assert from "node:assert/strict";
import { detectImageFormat, isSvg } from "../../lib/sdk/media.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("detectImageFormat() recognises png, jpeg, webp and svg by their first bytes", () => {
  assert.equal(
    detectImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])),
    "png",
  );
  assert.equal(detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xdb])), "jpeg");
  assert.equal(detectImageFormat(text("RIFF\x10\0\0\0WEBPVP8 ")), "webp");
  assert.equal(
    detectImageFormat(text('\uFEFF<?xml version="1.0"?><!DOCTYPE svg><svg width="1"></svg>')),
    "svg",
  );
});

Deno.test("detectImageFormat() returns undefined for other bytes", () => {
  assert.equal(detectImageFormat(new Uint8Array()), undefined);
  assert.equal(detectImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), undefined);
  assert.equal(detectImageFormat(text("RIFF\x10\0\0\0WAVEfmt ")), undefined);
  assert.equal(detectImageFormat(text("GIF89a")), undefined);
  assert.equal(detectImageFormat(text("<html><svg></svg></html>")), undefined);
});

Deno.test("isSvg() needs <svg as the first element", () => {
  assert.ok(isSvg("  <!-- a --><svg/>"));
  assert.ok(!isSvg("<svgx/>"));
  assert.ok(!isSvg("svg"));
});
