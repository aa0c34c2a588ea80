import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'design-invalid',
  meta: {
    description: 'The design file is valid YAML (or JSON) of the documented shape: known keys, right types, values in the documented formats.',
    severity: 'error',
    category: 'input',
    messages: {
      'yaml-syntax': 'Not valid YAML: {message}.',
      'unknown-key': 'The design has an {message}; check its spelling against the design file reference.',
      'missing-key': 'The design has a {message}.',
      'wrong-type': 'Wrong type: {message}.',
      'wrong-value': 'Wrong value: {message}.',
      'wrong-format': 'Wrong format: {message}.',
      unreadable: 'An input was not read: {message}.',
      'outside-folder': 'A path in the design leads out of its folder, so nothing was read there: {message}.',
    },
  },
  check(ctx) {
    for (const p of ctx.inputs.designProblems) {
      ctx.report({
        messageId: p.messageId,
        data: { message: p.message },
        loc: p.loc,
        object: p.path || 'design',
        severity: p.messageId === 'unknown-key' ? 'warning' : undefined,
      });
    }
  },
});
