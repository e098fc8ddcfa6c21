import { duckdb, type DuckDBRawVector } from './duckdb-bindings.ts';
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import {
  Bool, type Data, DateDay, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, makeData,
  TimeUnit, Timestamp, Uint16, Uint32, Uint8, Utf8, type DataType, vectorFromArray, type Vector,
} from 'apache-arrow';
import { ExportError } from './dataset-registry.ts';

/**
 * Arrow columns built straight from DuckDB result chunks: fixed-width values are copied as raw
 * bytes, DuckDB's validity mask (already Arrow's LSB bit layout) is copied as bits, text is copied
 * byte by byte into one UTF-8 buffer, and closed text sets (ENUMs) become Arrow dictionaries
 * whose indices are DuckDB's own. No JavaScript value is made per row, and no native call either:
 * strings behind pointers are fetched a heap span at a time (see Utf8Accumulator).
 */
export interface ColumnBuilder {
  readonly field: Field;
  /** Appends `count` rows of a DuckDB vector (the caller keeps the chunk alive meanwhile). */
  append(vector: DuckDBRawVector, count: number): void;
  /** The rows appended since the last call, as Arrow data; starts a fresh batch. */
  finish(): Data;
}

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  return n;
});

/** Arrow validity bits, copied from DuckDB's mask (or all set when DuckDB has none). */
class ValidityBuilder {
  private bits: Uint8Array;
  /** The last batch's bits were handed out; clear them before the next append (reuse only). */
  private stale = false;
  length = 0;
  nullCount = 0;

  constructor(private readonly capacity: number, private readonly reuse = false) {
    this.bits = new Uint8Array(Math.ceil(capacity / 8) + 1);
  }

  /** Copies the mask of `count` rows and returns DuckDB's mask bytes (null when all are valid). */
  append(vector: DuckDBRawVector, count: number): Uint8Array | null {
    if (this.stale) {
      this.bits.fill(0);
      this.stale = false;
    }
    const mask = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8) as Uint8Array | null;
    const shift = this.length & 7;
    let at = this.length >> 3;
    const full = count >> 3;
    const rest = count & 7;
    let valid = 0;
    for (let i = 0; i <= full; i++) {
      if (i === full && rest === 0) break;
      let byte = mask ? mask[i] : 0xff;
      if (i === full) byte &= (1 << rest) - 1;
      valid += POPCOUNT[byte];
      // Merge at any bit offset: DuckDB chunks after a filter need not be multiples of 8 rows.
      this.bits[at] |= (byte << shift) & 0xff;
      if (shift) this.bits[at + 1] |= byte >> (8 - shift);
      at++;
    }
    this.nullCount += count - valid;
    this.length += count;
    return mask;
  }

  /** The bitmap for Arrow (undefined when nothing is null, which Arrow stores as no buffer). */
  finish(): { nullBitmap: Uint8Array | undefined; nullCount: number; length: number } {
    const result = { nullBitmap: this.nullCount ? this.bits.subarray(0, Math.ceil(this.length / 8)) : undefined, nullCount: this.nullCount, length: this.length };
    if (this.reuse) this.stale = true;
    else this.bits = new Uint8Array(Math.ceil(this.capacity / 8) + 1);
    this.length = 0;
    this.nullCount = 0;
    return result;
  }
}

type TypedArrayCtor = Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor
  | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

/** Numbers, dates, timestamps and dictionary indices: DuckDB's bytes are Arrow's bytes. */
class FixedWidthBuilder implements ColumnBuilder {
  private values: Uint8Array;
  private readonly validity: ValidityBuilder;
  private readonly width: number;

  constructor(
    readonly field: Field, private readonly ctor: TypedArrayCtor, private readonly capacity: number, private readonly reuse: boolean, private readonly dictionary?: Vector,
  ) {
    this.width = ctor.BYTES_PER_ELEMENT;
    this.values = new Uint8Array(capacity * this.width);
    this.validity = new ValidityBuilder(capacity, reuse);
  }

  append(vector: DuckDBRawVector, count: number): void {
    const start = this.validity.length;
    this.validity.append(vector, count);
    this.values.set(duckdb.vector_get_data(vector, count * this.width), start * this.width);
  }

  finish(): Data {
    const { nullBitmap, nullCount, length } = this.validity.finish();
    const data = new this.ctor(this.values.buffer as ArrayBuffer, 0, length);
    // A fresh buffer per batch unless the sink has consumed each batch before the next is built:
    // otherwise the previous one may still sit in an output stream's queue.
    if (!this.reuse) this.values = new Uint8Array(this.capacity * this.width);
    return makeData({ type: this.field.type, length, nullCount, nullBitmap, data, dictionary: this.dictionary } as never);
  }
}

/** DuckDB stores a boolean per byte, Arrow per bit. */
class BoolBuilder implements ColumnBuilder {
  private values: Uint8Array;
  private readonly validity: ValidityBuilder;
  private stale = false;

  constructor(readonly field: Field, private readonly capacity: number, private readonly reuse: boolean) {
    this.values = new Uint8Array(Math.ceil(capacity / 8) + 1);
    this.validity = new ValidityBuilder(capacity, reuse);
  }

  append(vector: DuckDBRawVector, count: number): void {
    if (this.stale) {
      this.values.fill(0);
      this.stale = false;
    }
    const start = this.validity.length;
    this.validity.append(vector, count);
    const bytes = duckdb.vector_get_data(vector, count);
    const values = this.values;
    for (let i = 0; i < count; i++) {
      if (bytes[i]) {
        const bit = start + i;
        values[bit >> 3] |= 1 << (bit & 7);
      }
    }
  }

  finish(): Data {
    const { nullBitmap, nullCount, length } = this.validity.finish();
    const data = this.values.subarray(0, Math.ceil(length / 8));
    if (this.reuse) this.stale = true;
    else this.values = new Uint8Array(Math.ceil(this.capacity / 8) + 1);
    return makeData({ type: this.field.type as Bool, length, nullCount, nullBitmap, data });
  }
}

/**
 * Strings longer than 12 bytes live in DuckDB's string heap behind a pointer. Fetching each one
 * through the binding costs a native call and an allocation per row, so we gather the pointers of
 * a vector into spans and fetch each span once. Two strings less than a page apart lie on the same
 * or adjacent pages, both mapped, so a span joined across gaps below 4 KiB reads only mapped memory.
 */
const PAGE = 4096;
const TWO_32 = 4294967296;
/** Spare bytes past the text so an inline string (at most 12 bytes) can be written as whole words. */
const WORD_SLACK = 12;

/** Copies source[from, to) to target at `at`: short runs byte by byte, which beats making a view. */
function copyRun(target: Uint8Array, at: number, source: Uint8Array, from: number, to: number): void {
  if (to - from > 48) target.set(source.subarray(from, to), at);
  else for (let k = from; k < to; k++) target[at + k - from] = source[k];
}

/** UTF-8 bytes and offsets, growing as needed; used for VARCHAR columns and list children. */
class Utf8Accumulator {
  offsets: Int32Array;
  bytes: Uint8Array;
  /** Validity bits, kept only for list items (a VARCHAR column copies DuckDB's mask instead). */
  valid: Uint8Array | null;
  nullCount = 0;
  length = 0;
  position = 0;
  // Scratch per appended range: each long string's heap address and span, and the spans.
  private pointers = new Float64Array(2048);
  private spanOf = new Int32Array(2048);
  private spanStart = new Float64Array(64);
  private spanEnd = new Float64Array(64);
  private readonly pointerCell = new DataView(new ArrayBuffer(8));

  private stale = false;

  constructor(private readonly rowCapacity: number, private readonly trackNulls = false, private readonly reuse = false) {
    this.offsets = new Int32Array(rowCapacity + 1);
    this.bytes = new Uint8Array(Math.max(1024, rowCapacity * 16));
    this.valid = trackNulls ? new Uint8Array((rowCapacity >> 3) + 1) : null;
  }

  private ensureRows(rows: number): void {
    if (this.pointers.length < rows) {
      this.pointers = new Float64Array(rows);
      this.spanOf = new Int32Array(rows);
    }
    if (this.length + rows + 1 <= this.offsets.length) return;
    const size = Math.max(this.offsets.length * 2, this.length + rows + 1);
    const grown = new Int32Array(size);
    grown.set(this.offsets);
    this.offsets = grown;
    if (this.valid) {
      const bits = new Uint8Array((size >> 3) + 1);
      bits.set(this.valid);
      this.valid = bits;
    }
  }

  private ensureBytes(extra: number): void {
    if (this.position + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.position + extra));
    grown.set(this.bytes.subarray(0, this.position));
    this.bytes = grown;
  }

  private addSpan(index: number, start: number, end: number): void {
    if (index >= this.spanStart.length) {
      const starts = new Float64Array(this.spanStart.length * 2);
      const ends = new Float64Array(this.spanEnd.length * 2);
      starts.set(this.spanStart);
      ends.set(this.spanEnd);
      this.spanStart = starts;
      this.spanEnd = ends;
    }
    this.spanStart[index] = start;
    this.spanEnd[index] = end;
  }

  /** Appends rows [from, to) of a DuckDB string_t array (16 bytes each: length, then 12 inline bytes or prefix and pointer). */
  appendRange(strings: Uint8Array, from: number, to: number, mask: Uint8Array | null): void {
    if (this.stale) {
      this.valid?.fill(0);
      this.stale = false;
    }
    const rows = to - from;
    if (rows <= 0) return;
    this.ensureRows(rows);
    const view = new DataView(strings.buffer, strings.byteOffset, strings.byteLength);
    const pointers = this.pointers;
    const spanOf = this.spanOf;
    // Pass 1: total size, and long strings grouped into heap spans.
    let total = 0;
    let spans = 0;
    let start = 0;
    let end = 0;
    for (let r = from; r < to; r++) {
      if (mask && (mask[r >> 3] & (1 << (r & 7))) === 0) continue;
      const at = r * 16;
      const size = view.getUint32(at, true);
      total += size;
      if (size <= 12) continue;
      const p = view.getUint32(at + 12, true) * TWO_32 + view.getUint32(at + 8, true);
      const q = p + size;
      if (spans > 0 && p >= start && p - end < PAGE) {
        if (q > end) end = q;
      } else if (spans > 0 && q <= end && start - q < PAGE) {
        if (p < start) start = p;
      } else {
        if (spans > 0) this.addSpan(spans - 1, start, end);
        spans++;
        start = p;
        end = q;
      }
      pointers[r - from] = p;
      spanOf[r - from] = spans - 1;
    }
    if (spans > 0) this.addSpan(spans - 1, start, end);
    this.ensureBytes(total + WORD_SLACK);
    // Fetch each span once: the binding reads the address we put in a cell, as it does for a string_t.
    const fetched: Uint8Array[] = new Array(spans);
    for (let s = 0; s < spans; s++) {
      const begin = this.spanStart[s];
      this.pointerCell.setUint32(0, begin % TWO_32, true);
      this.pointerCell.setUint32(4, Math.floor(begin / TWO_32), true);
      fetched[s] = duckdb.get_data_from_pointer(this.pointerCell.buffer as ArrayBuffer, 0, this.spanEnd[s] - begin);
    }
    // Pass 2: copy bytes in row order. Inline strings go as up to three 32-bit words (the tail
    // past the string is overwritten by the next one: ensureBytes left WORD_SLACK spare bytes);
    // long strings that follow each other in DuckDB's heap, as a buffered result lays them out,
    // go as one copy per run instead of one per row.
    const bytes = this.bytes;
    const out = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offsets = this.offsets;
    const valid = this.valid;
    let position = this.position;
    let length = this.length;
    let runSource: Uint8Array | null = null;
    let runFrom = 0;
    let runTo = 0;
    let runAt = 0;
    for (let r = from; r < to; r++) {
      const isValid = !mask || (mask[r >> 3] & (1 << (r & 7))) !== 0;
      if (valid) {
        if (isValid) valid[length >> 3] |= 1 << (length & 7);
        else this.nullCount++;
      }
      if (isValid) {
        const at = r * 16;
        const size = view.getUint32(at, true);
        if (size <= 12) {
          if (size > 0) {
            // The next long string cannot join the run across this one.
            if (runSource) {
              copyRun(bytes, runAt, runSource, runFrom, runTo);
              runSource = null;
            }
            out.setUint32(position, view.getUint32(at + 4, true), true);
            if (size > 4) out.setUint32(position + 4, view.getUint32(at + 8, true), true);
            if (size > 8) out.setUint32(position + 8, view.getUint32(at + 12, true), true);
          }
        } else {
          const s = spanOf[r - from];
          const source = fetched[s];
          const offset = pointers[r - from] - this.spanStart[s];
          if (source === runSource && offset === runTo) {
            runTo += size;
          } else {
            if (runSource) copyRun(bytes, runAt, runSource, runFrom, runTo);
            runSource = source;
            runFrom = offset;
            runTo = offset + size;
            runAt = position;
          }
        }
        position += size;
      }
      length++;
      offsets[length] = position;
    }
    if (runSource) copyRun(bytes, runAt, runSource, runFrom, runTo);
    this.position = position;
    this.length = length;
  }

  take(): { valueOffsets: Int32Array; data: Uint8Array; length: number; nullBitmap: Uint8Array | undefined; nullCount: number } {
    const result = {
      valueOffsets: this.offsets.subarray(0, this.length + 1),
      data: this.bytes.subarray(0, this.position),
      length: this.length,
      nullBitmap: this.valid && this.nullCount ? this.valid.subarray(0, (this.length + 7) >> 3) : undefined,
      nullCount: this.nullCount,
    };
    if (this.reuse) {
      // offsets[0] stays 0; the bytes and offsets are overwritten as rows come; validity is cleared lazily.
      this.stale = true;
    } else {
      this.offsets = new Int32Array(this.rowCapacity + 1);
      this.valid = this.trackNulls ? new Uint8Array((this.rowCapacity >> 3) + 1) : null;
      this.bytes = new Uint8Array(Math.max(1024, this.position + (this.position >> 2)));
    }
    this.nullCount = 0;
    this.length = 0;
    this.position = 0;
    return result;
  }
}

class Utf8Builder implements ColumnBuilder {
  private readonly validity: ValidityBuilder;
  private readonly text: Utf8Accumulator;

  constructor(readonly field: Field, capacity: number, reuse: boolean) {
    this.validity = new ValidityBuilder(capacity, reuse);
    this.text = new Utf8Accumulator(capacity, false, reuse);
  }

  append(vector: DuckDBRawVector, count: number): void {
    const mask = this.validity.append(vector, count);
    this.text.appendRange(duckdb.vector_get_data(vector, count * 16), 0, count, mask);
  }

  finish(): Data {
    const { nullBitmap, nullCount, length } = this.validity.finish();
    const { valueOffsets, data } = this.text.take();
    return makeData({ type: this.field.type as Utf8, length, nullCount, nullBitmap, valueOffsets, data });
  }
}

/** VARCHAR[]: Arrow offsets over one child UTF-8 column. */
class Utf8ListBuilder implements ColumnBuilder {
  private readonly validity: ValidityBuilder;
  private readonly items: Utf8Accumulator;
  private offsets: Int32Array;
  private rows = 0;

  constructor(readonly field: Field, private readonly capacity: number, private readonly reuse: boolean) {
    this.validity = new ValidityBuilder(capacity, reuse);
    this.items = new Utf8Accumulator(capacity * 2, true, reuse);
    this.offsets = new Int32Array(capacity + 1);
  }

  append(vector: DuckDBRawVector, count: number): void {
    const mask = this.validity.append(vector, count);
    const entries = duckdb.vector_get_data(vector, count * 16);
    const entryView = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
    const child = duckdb.list_vector_get_child(vector);
    const childSize = duckdb.list_vector_get_size(vector);
    const childMask = childSize ? (duckdb.vector_get_validity(child, Math.ceil(childSize / 64) * 8) as Uint8Array | null) : null;
    const strings = childSize ? duckdb.vector_get_data(child, childSize * 16) : new Uint8Array(0);
    for (let i = 0; i < count; i++) {
      if (mask === null || (mask[i >> 3] & (1 << (i & 7))) !== 0) {
        // list_entry_t is {uint64 offset, uint64 length}; a chunk's child never nears 2^32 items.
        const offset = entryView.getUint32(i * 16, true);
        const length = entryView.getUint32(i * 16 + 8, true);
        this.items.appendRange(strings, offset, offset + length, childMask);
      }
      this.rows++;
      this.offsets[this.rows] = this.items.length;
    }
  }

  finish(): Data {
    const { nullBitmap, nullCount, length } = this.validity.finish();
    const { valueOffsets: childOffsets, data, length: childLength, nullBitmap: childNulls, nullCount: childNullCount } = this.items.take();
    const valueOffsets = this.offsets.subarray(0, this.rows + 1);
    if (!this.reuse) this.offsets = new Int32Array(this.capacity + 1);
    this.rows = 0;
    const childType = (this.field.type as List<Utf8>).children[0].type;
    const child = makeData({ type: childType, length: childLength, nullCount: childNullCount, nullBitmap: childNulls, valueOffsets: childOffsets, data });
    return makeData({ type: this.field.type as List<Utf8>, length, nullCount, nullBitmap, valueOffsets, child });
  }
}

let nextDictionaryId = 1;

/**
 * A builder for one result column of a DuckDB type; unsupported types fail with a clear message
 * (the dataset should cast such a column in its SQL). With `reuse`, each batch is built in the
 * previous batch's buffers: only for sinks that have consumed a batch before the next is built
 * (about half the buffer allocations, which is where the garbage collector's time went).
 */
export function columnBuilder(name: string, type: DuckDBType, capacity: number, reuse = false): ColumnBuilder {
  const fixed = (arrowType: DataType, ctor: TypedArrayCtor) => new FixedWidthBuilder(new Field(name, arrowType, true), ctor, capacity, reuse);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new BoolBuilder(new Field(name, new Bool(), true), capacity, reuse);
    case DuckDBTypeId.TINYINT:
      return fixed(new Int8(), Int8Array);
    case DuckDBTypeId.SMALLINT:
      return fixed(new Int16(), Int16Array);
    case DuckDBTypeId.INTEGER:
      return fixed(new Int32(), Int32Array);
    case DuckDBTypeId.BIGINT:
      return fixed(new Int64(), BigInt64Array);
    case DuckDBTypeId.FLOAT:
      return fixed(new Float32(), Float32Array);
    case DuckDBTypeId.DOUBLE:
      return fixed(new Float64(), Float64Array);
    case DuckDBTypeId.DATE:
      // Both count days since 1970-01-01 in an int32.
      return fixed(new DateDay(), Int32Array);
    case DuckDBTypeId.TIMESTAMP_TZ:
      // Both count microseconds since the epoch in UTC; the zone tag tells readers it is an instant.
      return fixed(new Timestamp(TimeUnit.MICROSECOND, 'UTC'), BigInt64Array);
    case DuckDBTypeId.TIMESTAMP:
      return fixed(new Timestamp(TimeUnit.MICROSECOND), BigInt64Array);
    case DuckDBTypeId.VARCHAR:
      return new Utf8Builder(new Field(name, new Utf8(), true), capacity, reuse);
    case DuckDBTypeId.ENUM: {
      const [indexType, ctor] =
        type.internalTypeId === DuckDBTypeId.UTINYINT ? [new Uint8(), Uint8Array] as const
        : type.internalTypeId === DuckDBTypeId.USMALLINT ? [new Uint16(), Uint16Array] as const
        : [new Uint32(), Uint32Array] as const;
      const dictionaryType = new Dictionary(new Utf8(), indexType, nextDictionaryId++, false);
      // One dictionary object for the whole export, so the writer sends it once.
      const dictionary = vectorFromArray([...type.values], new Utf8());
      return new FixedWidthBuilder(new Field(name, dictionaryType, true), ctor, capacity, reuse, dictionary);
    }
    case DuckDBTypeId.LIST:
      if (type.valueType.typeId === DuckDBTypeId.VARCHAR) {
        return new Utf8ListBuilder(new Field(name, new List(new Field('item', new Utf8(), true)), true), capacity, reuse);
      }
      break;
  }
  throw new ExportError(`column "${name}" has DuckDB type ${type.toString()}, which the Arrow export does not write; cast it in the dataset SQL`);
}
