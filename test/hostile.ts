/** A schema and a design whose SQL tries every way out of a claim, shared by the design-SQL tests. */

/** One table with a CHECK, row-level security for role app, and a procedure a violation may CALL. */
export const HOSTILE_SCHEMA = `CREATE ROLE app;
CREATE TABLE t (id int PRIMARY KEY, tenant_id text NOT NULL, n int NOT NULL CONSTRAINT t_n_check CHECK (n >= 0));
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_tenant ON t USING (tenant_id = current_setting('app.tenant', true));
GRANT SELECT, INSERT, UPDATE ON t TO app;
CREATE PROCEDURE bump(p_id int) LANGUAGE sql AS $$ UPDATE t SET n = n + 1 WHERE id = p_id $$;
`;

/** Each kind of design SQL holding a piece the prover must refuse (lines and columns asserted in design-sql.test.ts). */
export const HOSTILE_DESIGN = `design: Hostile
kind: new-table
entities:
  t: { grain: one row, tenant_scoped: true }
access_patterns:
  - id: Q-001
    sql: COMMIT; DROP TABLE t
  - id: Q-002
    sql: COPY t TO PROGRAM 'id'
invariants:
  - id: INV-001
    rule: n is never negative
    enforcement: constraint
    enforced_by: t_n_check
    expect: "23514"
    drift_query: WITH d AS (DELETE FROM t RETURNING id) SELECT id FROM d
    violation:
      - SET ROLE postgres
      - RESET ROLE
      - SET SESSION AUTHORIZATION postgres
      - DO $$ BEGIN DELETE FROM t; END $$
      - CALL missing()
      - select 1; select 2
      - ROLLBACK
      - UPDATE t SET n = -1
  - id: INV-002
    rule: ids are unique
    enforcement: constraint
    enforced_by: t_pkey
    expect: "23505"
    violation:
      - DELETE FROM t
      - COMMIT
      - INSERT INTO t VALUES (1, 'a', 1)
migration:
  validation:
    - SELECT id FROM t FOR UPDATE
    - "SELECT 1; DROP TABLE t"
  backfill:
    validation_query: DELETE FROM t
security:
  tenant_isolation:
    column: tenant_id
    rls: true
    role: app
    setting: "x = 1; DROP TABLE t; --"
schema: schema.sql
`;
