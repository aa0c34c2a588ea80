/** Validates a design against the shipped JSON Schema; every problem keeps its YAML position. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import _Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Loc } from '../../types.js';
import { type PositionedDocument, positionOf } from './yaml-positions.js';

export interface DesignProblem {
  readonly messageId: 'yaml-syntax' | 'unknown-key' | 'missing-key' | 'wrong-type' | 'wrong-value' | 'wrong-format' | 'unreadable' | 'outside-folder';
  readonly message: string;
  readonly loc: Loc;
  readonly path: string;
  /** The value has the wrong shape (type, a missing key, no matching branch): its section is dropped. */
  readonly malformed?: boolean;
}

export const FORMATS: Record<string, { re: RegExp; describe: string }> = {
  count: { re: /^\d+(\.\d+)?\s*[kMB]?$/, describe: 'a count such as 400, 400k, 10M or 2B' },
  rate: { re: /^\d+(\.\d+)?\s*[kMB]?\s*\/\s*(s|min|h|day)$/, describe: 'a rate such as 500/s, 20/min, 3/h or 1k/day' },
  duration: { re: /^(\d+(\.\d+)?\s*(ms|s|min|h|d|w|mo|y)|forever)$/, describe: 'a duration such as 50ms, 2s, 5min, 4h, 30d, 7y or forever' },
  date: { re: /^\d{4}-\d{2}-\d{2}$/, describe: 'an ISO date such as 2026-12-01' },
};

const schemaPath = fileURLToPath(new URL('../../../../schema/design.schema.json', import.meta.url));
let validator: ValidateFunction | undefined;

export function designJsonSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

function getValidator(): ValidateFunction {
  if (validator) return validator;
  const Ajv = ((_Ajv as unknown as { default?: unknown }).default ?? _Ajv) as new (o: object) => {
    addFormat(name: string, f: RegExp): void;
    compile(s: object): ValidateFunction;
  };
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const [name, f] of Object.entries(FORMATS)) ajv.addFormat(name, f.re);
  validator = ajv.compile(designJsonSchema());
  return validator;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

function describeBranches(e: ErrorObject, all: ErrorObject[]): string {
  const inner = all.filter((x) => x.instancePath === e.instancePath && x.schemaPath.startsWith(e.schemaPath.replace(/\/anyOf$/, '/anyOf/')));
  const formats = inner.filter((x) => x.keyword === 'format').map((x) => FORMATS[String(x.params.format)]?.describe ?? String(x.params.format));
  if (formats.length) return formats.join(' or ');
  const types = new Set(inner.filter((x) => x.keyword === 'type').map((x) => String(x.params.type)));
  if (types.has('array') && types.has('string')) return 'a text or a list of texts';
  if (types.has('integer')) return 'a whole number';
  return [...types].join(' or ') || 'another shape';
}

/** Errors after which code reading the value could trip: another type than the schema's, a missing key. */
function isMalformed(e: ErrorObject, actual: unknown): boolean {
  if (['type', 'required', 'anyOf', 'maxLength'].includes(e.keyword)) return true;
  if (e.keyword === 'enum') return !(e.params.allowedValues as unknown[]).some((v) => typeof v === typeof actual);
  return false;
}

export function validateDesign(doc: PositionedDocument, file: string): DesignProblem[] {
  const validate = getValidator();
  if (validate(doc.value)) return [];
  const errors = validate.errors ?? [];
  const problems: DesignProblem[] = [];
  // For a value that matches none of several shapes, the useful message is the deep error of
  // the branch whose type it has (an unknown key in a mapping), else one line naming the shapes.
  const deepUnder = (a: ErrorObject): ErrorObject[] => errors.filter((x) => x !== a && x.schemaPath.startsWith(a.schemaPath.replace(/\/anyOf$/, '/anyOf/'))
    && !['type', 'format', 'anyOf', 'pattern'].includes(x.keyword) && x.instancePath.startsWith(a.instancePath));
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const keepDeep = new Set(anyOfs.flatMap(deepUnder));
  const anyOfPaths = new Set(anyOfs.filter((a) => deepUnder(a).length === 0).map((e) => e.instancePath));
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' && !anyOfPaths.has(e.instancePath)) continue;
    if (e.keyword !== 'anyOf' && e.schemaPath.includes('/anyOf/') && !keepDeep.has(e)) continue;
    const path = e.instancePath;
    const actual = valueAt(doc.value, path);
    let p: DesignProblem;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        const keyPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        p = { messageId: 'unknown-key', message: `unknown key "${key}"${path ? ` in ${path}` : ''}`, path: keyPath, loc: doc.keyAt.get(keyPath) ?? positionOf(doc, path, file) };
        break;
      }
      case 'required':
        p = { messageId: 'missing-key', message: `missing required key "${String(e.params.missingProperty)}"${path ? ` in ${path}` : ''}`, path, loc: positionOf(doc, path, file) };
        break;
      case 'type':
        p = { messageId: 'wrong-type', message: `${path || 'the design'}: expected ${e.params.type === 'array' ? 'a list' : e.params.type === 'object' ? 'a mapping' : `a ${String(e.params.type)}`}, got ${typeOf(actual)}`, path, loc: positionOf(doc, path, file) };
        break;
      case 'enum':
        p = { messageId: 'wrong-value', message: `${path}: expected one of ${(e.params.allowedValues as unknown[]).join(', ')}, got ${typeOf(actual)}`, path, loc: positionOf(doc, path, file) };
        break;
      case 'format':
        p = { messageId: 'wrong-format', message: `${path}: expected ${FORMATS[String(e.params.format)]?.describe ?? e.params.format}, got ${typeOf(actual)}`, path, loc: positionOf(doc, path, file) };
        break;
      case 'anyOf':
        p = { messageId: 'wrong-format', message: `${path}: expected ${describeBranches(e, errors)}, got ${typeOf(actual)}`, path, loc: positionOf(doc, path, file) };
        break;
      case 'pattern':
        p = { messageId: 'wrong-format', message: `${path}: ${typeOf(actual)} does not have the expected form (${path.endsWith('/id') ? 'an id such as INV-001 or Q-001' : path.endsWith('/expect') ? 'a SQLSTATE such as 23505 or a class such as 23' : 'table.column'})`, path, loc: positionOf(doc, path, file) };
        break;
      case 'minimum': case 'maximum':
        p = { messageId: 'wrong-value', message: `${path}: ${String(actual)} is out of range (${e.message ?? ''})`, path, loc: positionOf(doc, path, file) };
        break;
      default:
        p = { messageId: 'wrong-value', message: `${path}: ${e.message ?? 'invalid value'}`, path, loc: positionOf(doc, path, file) };
    }
    if (isMalformed(e, actual) && path !== '') p = { ...p, malformed: true };
    const k = `${p.path}|${p.message}`;
    if (!seen.has(k)) { seen.add(k); problems.push(p); }
  }
  return problems;
}
