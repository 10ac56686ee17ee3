// A minimal, dependency-free ONNX (protobuf) encoder for the sidecar's small dense models.
// Field numbers follow onnx/onnx.proto (proto2): ModelProto, GraphProto, NodeProto, TensorProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto and AttributeProto.
// Output is a pure function of its input (no timestamps, fixed field order) so builds are byte-reproducible.

/** Protobuf wire types used here. */
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** ONNX TensorProto.DataType.FLOAT. */
export const ONNX_FLOAT = 1;
/** ONNX TensorProto.DataType.INT64. */
export const ONNX_INT64 = 7;
/** AttributeProto.AttributeType values we emit. */
export const ATTR_INT = 2;
/** IR version 7 is the lowest that opset 13 may be paired with. */
export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;

/** Appends protobuf fields to a growing byte list; each message is encoded bottom-up. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private rawVarint(value: bigint): void {
    // Negative int64 values are encoded as their 64-bit two's complement, as protobuf requires.
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(BigInt((field << 3) | wire));
  }

  /** An int32/int64/enum field. */
  int(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(typeof value === "bigint" ? value : BigInt(value));
  }

  /** A bytes / embedded message field. */
  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.rawVarint(BigInt(value.length));
    this.push(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message built by the callback. */
  message(field: number, build: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    build(inner);
    this.bytes(field, inner.finish());
  }

  /** An unpacked repeated int64 field, matching TensorProto.dims, which onnx.proto declares without [packed]. */
  repeatedInt(field: number, values: readonly number[]): void {
    for (const v of values) this.int(field, v);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** Little-endian IEEE-754 float32 bytes, the layout TensorProto.raw_data requires. */
export function float32LeBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** An int64 initializer (e.g. the axes input of opset-13 Unsqueeze and ReduceSum). */
export interface OnnxInt64Initializer {
  name: string;
  dims: number[];
  data: readonly (number | bigint)[];
}

/** Little-endian int64 bytes, the layout TensorProto.raw_data requires. */
export function int64LeBytes(values: readonly (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return out;
}

export interface OnnxAttributeInt {
  name: string;
  kind: "int";
  value: number;
}

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxAttributeInt[];
}

/** A dimension is either fixed (number) or symbolic (string, e.g. the batch "N"). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: OnnxDim[];
}

export interface OnnxGraphSpec {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  /** int64 initializers, written after the float ones. */
  int64Initializers?: OnnxInt64Initializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModelSpec {
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraphSpec;
}

function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`initializer ${t.name}: dims ${t.dims.join("x")} do not match ${t.data.length} values`);
  w.repeatedInt(1, t.dims); // TensorProto.dims
  w.int(2, ONNX_FLOAT); // TensorProto.data_type
  w.string(8, t.name); // TensorProto.name
  w.bytes(9, float32LeBytes(t.data)); // TensorProto.raw_data
}

function writeInt64Tensor(w: ProtoWriter, t: OnnxInt64Initializer): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`initializer ${t.name}: dims ${t.dims.join("x")} do not match ${t.data.length} values`);
  w.repeatedInt(1, t.dims); // TensorProto.dims
  w.int(2, ONNX_INT64); // TensorProto.data_type
  w.string(8, t.name); // TensorProto.name
  w.bytes(9, int64LeBytes(t.data)); // TensorProto.raw_data
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name); // ValueInfoProto.name
  w.message(2, (type) => {
    // ValueInfoProto.type -> TypeProto.tensor_type
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType); // TypeProto.Tensor.elem_type
      tensor.message(2, (shape) => {
        // TypeProto.Tensor.shape -> TensorShapeProto.dim
        for (const d of v.shape) {
          shape.message(1, (dim) => {
            if (typeof d === "number")
              dim.int(1, d); // Dimension.dim_value
            else dim.string(2, d); // Dimension.dim_param
          });
        }
      });
    });
  });
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i); // NodeProto.input
  for (const o of n.outputs) w.string(2, o); // NodeProto.output
  w.string(3, n.name); // NodeProto.name
  w.string(4, n.opType); // NodeProto.op_type
  for (const a of n.attributes ?? []) {
    w.message(5, (attr) => {
      attr.string(1, a.name); // AttributeProto.name
      attr.int(3, a.value); // AttributeProto.i
      attr.int(20, ATTR_INT); // AttributeProto.type
    });
  }
}

/** Encodes a complete ModelProto (IR 7, default-domain opset 13). */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const m = new ProtoWriter();
  m.int(1, ONNX_IR_VERSION); // ModelProto.ir_version
  m.string(2, spec.producerName); // ModelProto.producer_name
  m.string(3, spec.producerVersion); // ModelProto.producer_version
  if (spec.docString) m.string(6, spec.docString); // ModelProto.doc_string
  m.message(7, (g) => {
    // ModelProto.graph
    for (const n of spec.graph.nodes) g.message(1, (w) => writeNode(w, n)); // GraphProto.node
    g.string(2, spec.graph.name); // GraphProto.name
    for (const t of spec.graph.initializers) g.message(5, (w) => writeTensor(w, t)); // GraphProto.initializer
    for (const t of spec.graph.int64Initializers ?? []) g.message(5, (w) => writeInt64Tensor(w, t)); // GraphProto.initializer
    for (const v of spec.graph.inputs) g.message(11, (w) => writeValueInfo(w, v)); // GraphProto.input
    for (const v of spec.graph.outputs) g.message(12, (w) => writeValueInfo(w, v)); // GraphProto.output
  });
  m.message(8, (op) => {
    // ModelProto.opset_import: empty domain means the standard ai.onnx operator set
    op.string(1, "");
    op.int(2, ONNX_OPSET);
  });
  return m.finish();
}
