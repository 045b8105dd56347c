/**
 * A minimal, safe reader of Python pickles, enough for what NumPy writes with `np.save(path,
 * {'data': x, 'label': y})` (DEC's `reutersidf10k.npy`): dicts, lists, tuples, numbers, strings,
 * bytes and NumPy arrays/dtypes/scalars, for pickle protocols 2–5 (Python 2 and 3 files).
 *
 * It never executes code: only the handful of constructors below are recognised; any other
 * Python class is an error naming it.
 */
import { DataError } from '../errors.ts';
import type { NdArray } from './ndarray.ts';
import { decodeDtype, decodeRaw } from './npy-dtype.ts';

/** A Python global (module + name) met in the pickle. */
class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get full(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A NumPy dtype under construction (`numpy.dtype('f8')`, byte order set by BUILD). */
class PyDtype {
  byteorder = '=';
  constructor(readonly descr: string) {}
  get str(): string {
    const kind = this.descr.replace(/^[<>=|]/, '');
    const bo = this.byteorder === '|' || this.byteorder === '=' ? '<' : this.byteorder;
    return `${bo}${kind}`;
  }
}

/** A NumPy array under construction (`_reconstruct`, filled by BUILD). */
class PendingArray {
  value?: NdArray;
}

const MARK = Symbol('mark');
const PY_NONE = null;

/** Decoded Python values: `Map` for dict, `Array` for list/tuple, `NdArray` for NumPy arrays. */
export type PyValue = unknown;

/**
 * Unpickles `bytes`.
 * @param source - file name used in error messages
 * @returns the Python value: dict → `Map`, list/tuple → array, str → string, bytes → Uint8Array,
 *   int/float → number, NumPy array → {@link NdArray}, NumPy scalar → number
 * @throws DataError for a truncated/corrupt pickle or an unsupported Python class
 */
export function unpickle(bytes: Uint8Array, source: string): PyValue {
  try {
    return run(bytes, source);
  } catch (err) {
    if (err instanceof DataError) throw err;
    // A pickle is a program: a corrupt one puts values of the wrong kind where an opcode expects a
    // list, dict or class (TypeError), or nests them too deep (RangeError); say so, not that.
    throw new DataError(`'${source}': cannot read the pickled data (corrupt pickle: operands of the wrong kind or nesting too deep); save the arrays again with np.save / np.savez`);
  }
}

/** The pickle machine of {@link unpickle}, which turns what it throws into a DataError. */
function run(bytes: Uint8Array, source: string): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder('utf-8');
  let pos = 0;
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const fail = (msg: string): never => {
    throw new DataError(`'${source}': cannot read the pickled data (${msg})`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail('truncated pickle');
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('length too large');
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated pickle');
    const s = dec.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  const popMark = (): unknown[] => {
    let i = stack.length - 1;
    while (i >= 0 && stack[i] !== MARK) i--;
    if (i < 0) fail('MARK not found');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const pop = () => {
    if (!stack.length) fail('stack underflow');
    return stack.pop();
  };
  const top = () => {
    if (!stack.length) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const setItems = (d: unknown, kv: unknown[]) => {
    if (!(d instanceof Map)) fail('SETITEM on a non-dict');
    for (let i = 0; i + 1 < kv.length; i += 2) (d as Map<unknown, unknown>).set(kv[i], kv[i + 1]);
  };
  const toBytes = (v: unknown): Uint8Array => {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') return Buffer.from(v, 'latin1'); // Python 2 str
    return fail(`expected bytes, got ${typeof v}`);
  };
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (!(fn instanceof PyGlobal)) return fail('call of a non-class');
    const name = fn.full.replace(/^numpy\._core\./, 'numpy.core.');
    switch (name) {
      case 'numpy.core.multiarray._reconstruct':
        return new PendingArray();
      case 'numpy.dtype':
        return new PyDtype(String(args[0]));
      case 'numpy.core.multiarray.scalar': {
        const dt = args[0] as PyDtype;
        const arr = decodeRaw(toBytes(args[1]), decodeDtype(dt.str, source), [1], source);
        return Number(arr.data[0]);
      }
      case 'numpy.core.numeric._frombuffer': {
        const [buf, dt, shape, order] = args as [unknown, PyDtype, number[], string];
        return decodeRaw(toBytes(buf), decodeDtype(dt.str, source), shape, source, order === 'F');
      }
      case '_codecs.encode':
        return Buffer.from(String(args[0]), 'latin1');
      case 'collections.OrderedDict':
      case 'builtins.dict':
      case '__builtin__.dict':
        return new Map(Array.isArray(args[0]) ? (args[0] as [unknown, unknown][]) : []);
      case 'builtins.bytearray':
      case '__builtin__.bytearray':
        return args.length ? toBytes(args[0]) : new Uint8Array(0);
      default:
        return fail(`the Python class ${fn.full} is not supported; save plain NumPy arrays (np.save / np.savez) instead`);
    }
  };
  const build = (obj: unknown, state: unknown) => {
    if (obj instanceof PendingArray) {
      const [, shape, dt, fortran, raw] = state as [number, number[], PyDtype, boolean, unknown];
      if (!(dt instanceof PyDtype)) fail('array state without a dtype');
      if (dt.descr.startsWith('O') || Array.isArray(raw)) {
        obj.value = { shape, dtype: 'object', data: raw as unknown[] };
      } else obj.value = decodeRaw(toBytes(raw), decodeDtype(dt.str, source), shape, source, Boolean(fortran));
    } else if (obj instanceof PyDtype) {
      const s = state as unknown[];
      if (typeof s[1] === 'string') obj.byteorder = s[1];
    } else if (obj instanceof Map && state instanceof Map) for (const [k, v] of state) obj.set(k, v);
  };
  const resolve = (v: unknown): unknown => (v instanceof PendingArray ? v.value : v);

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return deepResolve(resolve(pop()));
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(PY_NONE);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        need(2);
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x8a: // LONG1
      case 0x8b: {
        // LONG4
        const n = op === 0x8a ? u8() : u32();
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x49: {
        // INT (text)
        const s = line().trim();
        stack.push(s === '01' ? true : s === '00' ? false : Number(s));
        break;
      }
      case 0x4c: // LONG (text)
        stack.push(Number(line().trim().replace(/L$/, '')));
        break;
      case 0x46: // FLOAT (text)
        stack.push(Number(line().trim()));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(latin1(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(take(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(dec.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(dec.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(dec.decode(take(u64())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()));
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85:
        stack.push([pop()]);
        break;
      case 0x86: {
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const m = new Map();
        setItems(m, popMark());
        stack.push(m);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push([]);
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(popMark());
        break;
      case 0x63: {
        // GLOBAL
        const mod = line();
        stack.push(new PyGlobal(mod, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        stack.push(new PyGlobal(String(pop()), String(name)));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop() as unknown[];
        const fn = pop();
        stack.push(call(fn, (args ?? []).map(resolve)));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop() as unknown[];
        const cls = pop();
        stack.push(call(cls, (args ?? []).map(resolve)));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop();
        const args = pop() as unknown[];
        const cls = pop();
        stack.push(call(cls, (args ?? []).map(resolve)));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(k)) fail(`memo entry ${k} missing`);
        stack.push(memo.get(k));
        break;
      }
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
}

/** Replaces arrays still wrapped as pending by their values, everywhere in a decoded value. */
function deepResolve(v: unknown, seen = new Set<unknown>()): unknown {
  if (v instanceof PendingArray) return deepResolve(v.value, seen);
  if (typeof v !== 'object' || v === null || seen.has(v)) return v;
  seen.add(v);
  if (v instanceof Map) for (const [k, x] of v) v.set(k, deepResolve(x, seen));
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = deepResolve(v[i], seen);
  else if ('dtype' in v && (v as NdArray).dtype === 'object') {
    const d = (v as NdArray).data as unknown[];
    for (let i = 0; i < d.length; i++) d[i] = deepResolve(d[i], seen);
  }
  return v;
}
