/** resolveInside: paths that input names stay inside their root, symlinks followed. */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveInside } from '../src/load/paths.js';
import { tempDir, writeTree } from './helpers.js';

describe('resolveInside', () => {
  const root = writeTree({ 'a/schema.sql': 'SELECT 1;\n', 'b.sql': '' });
  const outside = writeTree({ 'secret.sql': 'x' });
  symlinkSync(join(outside, 'secret.sql'), join(root, 'link.sql'));
  symlinkSync(outside, join(root, 'linkdir'));
  symlinkSync(join(root, 'a'), join(root, 'inner'));

  it('accepts relative paths inside the root, and absolute ones that land there', () => {
    const r = resolveInside(root, 'a/schema.sql');
    assert.ok(r.ok);
    assert.equal(r.path.endsWith(join('a', 'schema.sql')), true);
    assert.ok(resolveInside(root, join(root, 'b.sql')).ok);
    assert.ok(resolveInside(root, 'a/../b.sql').ok);
    assert.ok(resolveInside(root, 'inner/schema.sql').ok, 'a symlink that stays inside');
    assert.ok(resolveInside(root, 'not/yet/there.sql').ok, 'a path to create later');
  });

  it('refuses absolute paths, .. and symlinks that lead out', () => {
    for (const p of ['/proc/self/environ', '../x.sql', 'a/../../x', 'link.sql', 'linkdir/secret.sql', 'linkdir/new.sql', '/etc']) {
      const r = resolveInside(root, p);
      assert.equal(r.ok, false, p);
      if (!r.ok) assert.equal(r.reason, 'outside', p);
    }
  });

  it('refuses a NUL byte and works on a root given relatively', () => {
    const r = resolveInside(root, 'a\0b');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.reason, 'invalid');
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.ok(resolveInside('x', 'y.sql').ok);
      assert.equal(resolveInside('x', '../y.sql').ok, false);
    } finally { process.chdir(cwd); }
  });
});
