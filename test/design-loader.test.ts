import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, loadDesignText } from '../src/index.js';
import { writeTree } from './helpers.js';

describe('design loader', () => {
  it('locates type, format and unknown-key problems at their YAML node', () => {
    const text = [
      'design: Orders',            // 1
      'kind: new-table',           // 2
      'status: drafty',            // 3
      'access_patterns:',          // 4
      '  - id: Q-001',             // 5
      '    sql: SELECT 1',         // 6
      '    frequency: often',      // 7
      '    latency: 5ms',          // 8
      'volumes:',                  // 9
      '  orders: { rows: lots }',  // 10
      'risks:',                    // 11
      '  - { risk: r, likelihood: 9 }', // 12
      'entities: [orders]',        // 13
    ].join('\n');
    const d = loadDesignText('d.yaml', text);
    const got = d.problems.map((p) => [p.messageId, p.loc.line, p.loc.column, p.path]).sort((a, b) => (a[1] as number) - (b[1] as number));
    assert.deepEqual(got, [
      ['wrong-value', 3, 9, '/status'],
      ['wrong-format', 7, 16, '/access_patterns/0/frequency'],
      ['unknown-key', 8, 5, '/access_patterns/0/latency'],
      ['wrong-format', 10, 19, '/volumes/orders/rows'],
      ['wrong-value', 12, 28, '/risks/0/likelihood'],
      ['wrong-type', 13, 11, '/entities'],
    ]);
    assert.match(d.problems.find((p) => p.path.endsWith('frequency'))!.message, /500\/s/);
    // The malformed section is dropped; the well-formed ones are kept for the other checks.
    assert.equal(d.design?.entities, undefined);
    assert.equal(d.design?.access_patterns?.length, 1);
  });

  it('reports YAML syntax errors with a position and never throws', () => {
    for (const text of ['a: [1, 2', 'a: b: c', 'x: 1\nx: 2', '- just\n- a list', '"unterminated', '\t- tab', '&a [*a, *a]']) {
      const d = loadDesignText('bad.yaml', text);
      assert.ok(d.problems.length > 0, JSON.stringify(text));
      for (const p of d.problems) assert.ok(p.loc.line >= 1 && p.loc.column >= 1);
    }
  });

  it('accepts the same design as JSON', async () => {
    const dir = writeTree({
      'design.json': JSON.stringify({ design: 'Orders', kind: 'new-table', schema: 'schema.sql', entities: { orders: { grain: 'one order' } } }, null, 2),
      'schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
    });
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'design-invalid'), []);
    assert.ok(r.findings.some((f) => f.rule === 'missing-section' && f.file === 'design.json'));
  });

  it('turns a missing schema file into a finding at the schema key, and still checks the design', async () => {
    const dir = writeTree({ 'design.yaml': 'design: X\nkind: new-table\nschema: nope.sql\nrisks:\n  - { risk: r }\n' });
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok);
    const f = r.findings.find((x) => x.rule === 'design-invalid')!;
    assert.deepEqual([f.file, f.line, f.column], ['design.yaml', 3, 9]);
    assert.ok(r.findings.some((x) => x.rule === 'risk-without-owner'));
  });

  it('applies severities, options and disabled rules from schemaproof.yaml, and reports its mistakes', async () => {
    const dir = writeTree({
      'schemaproof.yaml': 'rules:\n  require-primary-key: off\n  prefer-jsonb: error\n  no-such-rule: warning\nconventions:\n  tables: snake_case_plural\n',
      'schema.sql': 'CREATE TABLE item (doc json);\n',
    });
    const r = await check({ schema: `${dir}/schema.sql`, cwd: dir });
    assert.ok(r.ok);
    const by = (rule: string) => r.findings.filter((f) => f.rule === rule);
    assert.equal(by('require-primary-key').length, 0);
    assert.equal(by('prefer-jsonb')[0]!.severity, 'error');
    assert.equal(by('naming-convention').length, 1);
    const cfg = by('design-invalid')[0]!;
    assert.deepEqual([cfg.file, cfg.line], ['schemaproof.yaml', 4]);
  });

  it('honours design ignores with reasons and SQL suppressions with reasons only', async () => {
    const dir = writeTree({
      'design.yaml': [
        'design: X', 'kind: new-table', 'schema: schema.sql',
        'risks:',
        '  - { risk: a, ignore: [{ rule: risk-without-owner, reason: owned by the platform rota }] }',
        '  - { risk: b, ignore: [{ rule: risk-without-owner }] }',
      ].join('\n'),
      'schema.sql': '-- schemaproof-ignore require-primary-key: staging\nCREATE TABLE a (x int);\n-- schemaproof-ignore require-primary-key\nCREATE TABLE b (x int);\n',
    });
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok);
    const at = (rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line}`);
    assert.deepEqual(at('require-primary-key'), ['schema.sql:4']);
    assert.deepEqual(at('risk-without-owner'), ['design.yaml:6', 'design.yaml:6']); // no owner, no score
    assert.deepEqual(at('suppression-without-reason').sort(), ['design.yaml:6', 'schema.sql:3']);
  });
});
