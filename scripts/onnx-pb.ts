/**
 * The protobuf wire format, as little of it as our ONNX converters need (scripts/dlib-onnx.ts writes a model,
 * scripts/onnx-f16.ts rewrites one): a writer, and a reader that splits a message into its fields and keeps each
 * field's bytes, so a rewrite copies every field it does not change byte for byte (no schema, nothing dropped).
 */

/** A message being written: fields appended in order. */
export class Pb {
  private parts: Uint8Array[] = [];
  private len = 0;
  private push(b: Uint8Array) {
    this.parts.push(b);
    this.len += b.length;
  }
  private varint(v: number | bigint) {
    let x = BigInt.asUintN(64, BigInt(v));
    const bytes: number[] = [];
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      bytes.push(b);
    } while (x);
    this.push(Uint8Array.from(bytes));
  }
  private tag(field: number, wire: number) {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number) {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }
  float(field: number, v: number) {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }
  bytes(field: number, b: Uint8Array) {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }
  str(field: number, s: string) {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb) {
    return this.bytes(field, m.finish());
  }
  /** A field copied as it was read (tag and all). */
  raw(f: PbField) {
    this.push(f.raw);
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.len);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** One field of a message: its number, wire type, the bytes of the whole field (tag included) and, for a
 * length-delimited field (wire type 2), its payload; for a varint (wire type 0), its value. */
export interface PbField {
  no: number;
  wire: number;
  raw: Uint8Array;
  payload?: Uint8Array;
  varint?: bigint;
}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length; i++) {
    const b = buf[i]!;
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, i + 1];
    shift += 7n;
    if (shift > 63n) break;
  }
  throw new Error(`protobuf: bad varint at byte ${at}`);
}

/** Splits a message into its fields, in order. Throws on a truncated or malformed message. */
export function pbFields(buf: Uint8Array): PbField[] {
  const out: PbField[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [tag, afterTag] = readVarint(buf, at);
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    at = afterTag;
    const f: PbField = { no, wire, raw: buf };
    if (wire === 0) [f.varint, at] = readVarint(buf, at);
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [len, afterLen] = readVarint(buf, at);
      at = afterLen + Number(len);
      f.payload = buf.subarray(afterLen, at);
    } else throw new Error(`protobuf: unsupported wire type ${wire} at byte ${start}`);
    if (at > buf.length) throw new Error(`protobuf: field ${no} runs past the end of the message`);
    f.raw = buf.subarray(start, at);
    out.push(f);
  }
  return out;
}
