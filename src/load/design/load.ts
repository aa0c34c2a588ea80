/** Finds and loads a design file; never throws on bad input. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Loc } from '../../types.js';
import type { Design } from './types.js';
import { type PositionedDocument, parseWithPositions, positionOf } from './yaml-positions.js';
import { type DesignProblem, validateDesign } from './validate.js';

export const MAX_DESIGN_BYTES = 16 * 1024 * 1024;

export interface LoadedDesign {
  readonly file: string;
  readonly dir: string;
  /** The design as written; undefined when the file could not be read or parsed at all. */
  readonly design: Design | undefined;
  readonly doc: PositionedDocument | undefined;
  readonly problems: DesignProblem[];
  /** Where a path in the design is written (its nearest written ancestor when absent). */
  at(path: string): Loc;
  /** Where a key of the design is written, or its value. */
  keyAt(path: string): Loc;
}

/** `design.yaml`, `design.yml` or `design.json` in a folder, or the file itself. */
export function findDesignFile(target: string): string | undefined {
  const abs = resolve(target);
  if (existsSync(abs) && statSync(abs).isFile()) return abs;
  for (const name of ['design.yaml', 'design.yml', 'design.json']) {
    const p = join(abs, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadDesignFile(file: string): LoadedDesign {
  const fallback = (problems: DesignProblem[]): LoadedDesign => ({
    file, dir: dirname(file), design: undefined, doc: undefined, problems,
    at: () => ({ file, line: 1, column: 1 }),
    keyAt: () => ({ file, line: 1, column: 1 }),
  });
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_DESIGN_BYTES) {
      return fallback([{ messageId: 'unreadable', message: `design file is ${size} bytes; the limit is ${MAX_DESIGN_BYTES}`, loc: { file, line: 1, column: 1 }, path: '' }]);
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fallback([{ messageId: 'unreadable', message: `cannot read design file: ${(e as Error).message}`, loc: { file, line: 1, column: 1 }, path: '' }]);
  }
  return loadDesignText(file, text);
}

export function loadDesignText(file: string, text: string): LoadedDesign {
  const doc = parseWithPositions(file, text);
  const problems: DesignProblem[] = doc.errors.map((e) => ({ messageId: 'yaml-syntax', message: e.message, loc: e.loc, path: '' }));
  let design: Design | undefined;
  if (doc.errors.length === 0) {
    if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      problems.push({ messageId: 'wrong-type', message: 'a design file holds a mapping of sections (design:, kind:, ...)', loc: { file, line: 1, column: 1 }, path: '' });
    } else {
      problems.push(...validateDesign(doc, file));
      design = sanitize(doc.value as Record<string, unknown>, problems);
    }
  }
  return {
    file, dir: dirname(file), design, doc, problems,
    at: (path) => positionOf(doc, path, file),
    keyAt: (path) => doc.keyAt.get(path) ?? positionOf(doc, path, file),
  };
}

/**
 * Drops the parts of a design whose shape is wrong, so that the cross-checks that read them
 * do not trip over them: each such part already has a finding with its location.
 */
function sanitize(value: Record<string, unknown>, problems: DesignProblem[]): Design {
  const bad = new Set(problems.filter((p) => p.messageId === 'wrong-type').map((p) => p.path));
  const out: Record<string, unknown> = { ...value };
  for (const key of Object.keys(out)) if (bad.has(`/${key}`)) delete out[key];
  const listKeys = ['invariants', 'access_patterns', 'risks', 'open_questions', 'recovery', 'integration', 'authority'];
  for (const key of listKeys) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.filter((item, i) => item && typeof item === 'object' && !Array.isArray(item) && !bad.has(`/${key}/${i}`));
  }
  if (out.entities && typeof out.entities === 'object') {
    const ents: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(out.entities as Record<string, unknown>)) if (v && typeof v === 'object' && !Array.isArray(v)) ents[k] = v;
    out.entities = ents;
  }
  return out as Design;
}
