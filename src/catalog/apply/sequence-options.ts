/** CREATE and ALTER SEQUENCE options, and an identity column's, as the catalog keeps them. */
import type { Ast } from '../../types.js';
import { columnType } from '../../load/sql/ast.js';
import type { SequenceOptions } from '../model.js';

/** A number option's value as a decimal string (an Integer or, past 2^31, a Float node). */
function numberArg(arg: Ast): string | undefined {
  if (arg?.Integer) return String(arg.Integer.ival ?? 0);
  if (arg?.Float?.fval !== undefined) return String(arg.Float.fval);
  return undefined;
}

const SEQUENCE_TYPES: Record<string, SequenceOptions['as']> = { int2: 'smallint', int4: 'integer', int8: 'bigint' };

/** CREATE or ALTER SEQUENCE options over `into` (RESTART and OWNED BY are not settings). */
export function sequenceOptions(options: Ast[] | undefined, into: SequenceOptions): SequenceOptions {
  const o = { ...into };
  for (const x of options ?? []) {
    const e = x.DefElem;
    switch (e?.defname) {
      case 'as': o.as = SEQUENCE_TYPES[columnType(e.arg?.TypeName ?? e.arg).name] ?? o.as; break;
      case 'increment': o.increment = numberArg(e.arg) ?? o.increment; break;
      case 'start': o.start = numberArg(e.arg) ?? o.start; break;
      case 'cache': o.cache = numberArg(e.arg) ?? o.cache; break;
      case 'cycle': o.cycle = Boolean(e.arg?.Boolean?.boolval); break;
      // NO MINVALUE / NO MAXVALUE (no argument): back to the default.
      case 'minvalue': { const v = numberArg(e.arg); if (v === undefined) delete o.minValue; else o.minValue = v; break; }
      case 'maxvalue': { const v = numberArg(e.arg); if (v === undefined) delete o.maxValue; else o.maxValue = v; break; }
      default: break;
    }
  }
  return o;
}

/** The type a serial or identity column's sequence has: the column's integer type. */
export function columnSequenceType(type: { name: string }): SequenceOptions['as'] {
  return SEQUENCE_TYPES[type.name] ?? 'bigint';
}
