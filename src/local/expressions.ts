/**
 * GitHub Actions expressions (`${{ … }}`), enough of them to run this repository's workflows locally:
 * contexts with property access (`steps.dry-run.outputs.pending`, `a['b']`), literals, `!`, `==`, `!=`,
 * `<`, `<=`, `>`, `>=`, `&&`, `||` (returning an operand, as GitHub's do), parentheses, and the functions
 * success(), failure(), always(), cancelled(), contains(), startsWith(), endsWith(), format(), toJSON(), fromJSON().
 * Anything else is an error, so a workflow that uses more fails loudly instead of running differently.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | undefined;

export interface ExpressionContext {
  contexts: Record<string, Value>;
  /** For success()/failure()/cancelled(). */
  status: { failed: boolean; cancelled: boolean };
}

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in expression: ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'str', value });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'num', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'id', value: m[0] });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if ('!<>().[],*'.includes(c)) {
        tokens.push({ kind: 'op', value: c });
        i++;
      } else throw new Error(`unexpected "${c}" in expression: ${text}`);
    }
  }
  return tokens;
}

export function truthy(v: Value): boolean {
  return !(v === undefined || v === null || v === false || v === '' || v === 0 || Number.isNaN(v));
}

function loose(v: Value): string | number | boolean | null {
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return v;
}

function equals(a: Value, b: Value): boolean {
  const x = loose(a);
  const y = loose(b);
  if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase();
  if (typeof x === typeof y) return x === y;
  const num = (v: typeof x) => (v === null ? 0 : v === true ? 1 : v === false ? 0 : v === '' ? 0 : Number(v));
  return num(x) === num(y);
}

export function stringify(v: Value): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function evaluate(text: string, ctx: ExpressionContext): Value {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (op?: string) => {
    const t = tokens[pos];
    if (!t || (op !== undefined && !(t.kind === 'op' && t.value === op)))
      throw new Error(`expected ${op ?? 'a value'} in expression: ${text}`);
    pos++;
    return t;
  };
  const isOp = (op: string) => peek()?.kind === 'op' && peek()?.value === op;

  const call = (name: string, args: Value[]): Value => {
    switch (name.toLowerCase()) {
      case 'success':
        return !ctx.status.failed && !ctx.status.cancelled;
      case 'failure':
        return ctx.status.failed;
      case 'always':
        return true;
      case 'cancelled':
        return ctx.status.cancelled;
      case 'contains': {
        const [hay, needle] = args;
        if (Array.isArray(hay)) return hay.some((h) => equals(h, needle as Value));
        return stringify(hay).toLowerCase().includes(stringify(needle).toLowerCase());
      }
      case 'startswith':
        return stringify(args[0]).toLowerCase().startsWith(stringify(args[1]).toLowerCase());
      case 'endswith':
        return stringify(args[0]).toLowerCase().endsWith(stringify(args[1]).toLowerCase());
      case 'format':
        return stringify(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => stringify(args[Number(n) + 1]));
      case 'tojson':
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'fromjson':
        return JSON.parse(stringify(args[0])) as Value;
      default:
        throw new Error(`function ${name}() is not supported locally (expression: ${text})`);
    }
  };

  const primary = (): Value => {
    const t = take();
    if (t.kind === 'num' || t.kind === 'str') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.value === '!') return !truthy(unary());
    if (t.kind !== 'id') throw new Error(`unexpected "${t.value}" in expression: ${text}`);
    if (t.value === 'true') return true;
    if (t.value === 'false') return false;
    if (t.value === 'null') return null;
    if (isOp('(')) {
      take('(');
      const args: Value[] = [];
      while (!isOp(')')) {
        args.push(or());
        if (!isOp(')')) take(',');
      }
      take(')');
      return call(t.value, args);
    }
    if (!(t.value in ctx.contexts)) throw new Error(`unknown context "${t.value}" (expression: ${text})`);
    let value: Value = ctx.contexts[t.value];
    for (;;) {
      if (isOp('.')) {
        take('.');
        const key = take();
        if (key.kind !== 'id' && key.kind !== 'num') throw new Error(`bad property in expression: ${text}`);
        value = property(value, String(key.value));
      } else if (isOp('[')) {
        take('[');
        const key = or();
        take(']');
        value = property(value, stringify(key));
      } else break;
    }
    return value;
  };
  const unary = (): Value => primary();
  const comparison = (): Value => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.value)) return left;
      pos++;
      const right = unary();
      switch (t.value) {
        case '==':
          left = equals(left, right);
          break;
        case '!=':
          left = !equals(left, right);
          break;
        default: {
          const a = Number(loose(left));
          const b = Number(loose(right));
          left = t.value === '<' ? a < b : t.value === '<=' ? a <= b : t.value === '>' ? a > b : a >= b;
        }
      }
    }
  };
  const and = (): Value => {
    let left = comparison();
    while (isOp('&&')) {
      take('&&');
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (isOp('||')) {
      take('||');
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const result = or();
  if (pos !== tokens.length) throw new Error(`unexpected "${String(tokens[pos]?.value)}" in expression: ${text}`);
  return result;
}

function property(value: Value, key: string): Value {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const match = Object.keys(value).find((k) => k.toLowerCase() === key.toLowerCase());
    return match === undefined ? undefined : value[match];
  }
  if (Array.isArray(value) && /^\d+$/.test(key)) return value[Number(key)];
  return undefined;
}

/** Replaces every `${{ … }}` in a string. A string that is one whole expression keeps the value's type. */
export function interpolate(text: string, ctx: ExpressionContext): Value {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]?.includes('}}')) return evaluate(whole[1] as string, ctx);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => stringify(evaluate(expression, ctx)));
}

/** `if:` conditions: written with or without `${{ }}`; status functions default to success(). */
export function condition(text: string | boolean | undefined, ctx: ExpressionContext): boolean {
  if (text === undefined) return !ctx.status.failed && !ctx.status.cancelled;
  if (typeof text === 'boolean') return text && !ctx.status.failed;
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(expression);
  const value = truthy(evaluate(expression, ctx));
  return usesStatus ? value : value && !ctx.status.failed && !ctx.status.cancelled;
}
