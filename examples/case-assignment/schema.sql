-- Regulatory case assignment: physical schema (expanded state, before the contract step
-- drops regulatory_case.owner_id). Every tenant-scoped table carries tenant_id, is guarded
-- by row-level security, and references its parent through (tenant_id, id) pairs.

CREATE ROLE case_app NOLOGIN;

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION reject_final_decision_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.decision_status = 'final' THEN
    RAISE EXCEPTION 'decision % is final; record a reversal instead', OLD.decision_id
      USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TABLE regulatory_case (
  case_id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  case_number      text NOT NULL,
  subject_name     text NOT NULL,
  lifecycle_state  text NOT NULL DEFAULT 'draft',
  priority         text NOT NULL DEFAULT 'normal',
  owner_id         uuid,
  version          bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_regulatory_case_tenant_number UNIQUE (tenant_id, case_number),
  CONSTRAINT uq_regulatory_case_tenant_case UNIQUE (tenant_id, case_id),
  CONSTRAINT ck_regulatory_case_state CHECK (lifecycle_state IN
    ('draft', 'open', 'under_review', 'evidence_requested', 'decision_pending', 'closed', 'reopened')),
  CONSTRAINT ck_regulatory_case_priority CHECK (priority IN ('low', 'normal', 'high', 'urgent'))
);

CREATE TRIGGER trg_regulatory_case_updated_at
  BEFORE UPDATE ON regulatory_case
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE case_assignment (
  assignment_id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  case_id          uuid NOT NULL,
  actor_id         uuid NOT NULL,
  assignment_role  text NOT NULL,
  assigned_at      timestamptz NOT NULL,
  ended_at         timestamptz,
  ended_reason     text,
  created_by       uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_case_assignment_case FOREIGN KEY (tenant_id, case_id)
    REFERENCES regulatory_case (tenant_id, case_id),
  CONSTRAINT ck_case_assignment_interval CHECK (ended_at IS NULL OR ended_at > assigned_at),
  CONSTRAINT ck_case_assignment_role CHECK (assignment_role IN ('investigator', 'reviewer', 'supervisor'))
);

-- At most one active assignment per case and role.
CREATE UNIQUE INDEX uq_case_assignment_active
  ON case_assignment (tenant_id, case_id, assignment_role)
  WHERE ended_at IS NULL;

-- An actor's active work queue, newest first.
CREATE INDEX ix_case_assignment_actor_active
  ON case_assignment (tenant_id, actor_id, assignment_role, assigned_at DESC)
  WHERE ended_at IS NULL;

-- Assignment history of a case; also serves fk_case_assignment_case.
CREATE INDEX ix_case_assignment_case_history
  ON case_assignment (tenant_id, case_id, assigned_at DESC);

CREATE TABLE case_transition (
  transition_id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  case_id          uuid NOT NULL,
  from_state       text NOT NULL,
  to_state         text NOT NULL,
  actor_id         uuid NOT NULL,
  reason           text NOT NULL,
  occurred_at      timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_case_transition_case FOREIGN KEY (tenant_id, case_id)
    REFERENCES regulatory_case (tenant_id, case_id),
  CONSTRAINT ck_case_transition_from_state CHECK (from_state IN
    ('draft', 'open', 'under_review', 'evidence_requested', 'decision_pending', 'closed', 'reopened')),
  CONSTRAINT ck_case_transition_to_state CHECK (to_state IN
    ('draft', 'open', 'under_review', 'evidence_requested', 'decision_pending', 'closed', 'reopened')),
  CONSTRAINT ck_case_transition_changes_state CHECK (from_state <> to_state)
);

CREATE INDEX ix_case_transition_case_time
  ON case_transition (tenant_id, case_id, occurred_at);

CREATE TABLE case_decision (
  decision_id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  case_id          uuid NOT NULL,
  decision_number  integer NOT NULL,
  decision_status  text NOT NULL DEFAULT 'draft',
  outcome          text NOT NULL,
  penalty_amount   numeric(14, 2),
  currency         text,
  reverses_decision_id uuid,
  decided_by       uuid NOT NULL,
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_case_decision_case FOREIGN KEY (tenant_id, case_id)
    REFERENCES regulatory_case (tenant_id, case_id),
  CONSTRAINT uq_case_decision_case_number UNIQUE (tenant_id, case_id, decision_number),
  CONSTRAINT uq_case_decision_tenant_decision UNIQUE (tenant_id, decision_id),
  CONSTRAINT fk_case_decision_reverses FOREIGN KEY (tenant_id, reverses_decision_id)
    REFERENCES case_decision (tenant_id, decision_id),
  CONSTRAINT ck_case_decision_status CHECK (decision_status IN ('draft', 'approved', 'final')),
  CONSTRAINT ck_case_decision_outcome CHECK (outcome IN ('no_action', 'warning', 'penalty', 'referral')),
  CONSTRAINT ck_case_decision_penalty CHECK ((outcome = 'penalty') = (penalty_amount IS NOT NULL AND currency IS NOT NULL)),
  CONSTRAINT ck_case_decision_final_dated CHECK (decision_status <> 'final' OR decided_at IS NOT NULL)
);

-- Reversal lookups; also serves fk_case_decision_reverses.
CREATE INDEX ix_case_decision_reverses
  ON case_decision (tenant_id, reverses_decision_id)
  WHERE reverses_decision_id IS NOT NULL;

CREATE TRIGGER trg_case_decision_final_immutable
  BEFORE UPDATE OR DELETE ON case_decision
  FOR EACH ROW EXECUTE FUNCTION reject_final_decision_change();

CREATE TABLE outbox_event (
  event_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  aggregate_id     uuid NOT NULL,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  published_at     timestamptz,
  CONSTRAINT ck_outbox_event_type CHECK (event_type IN ('CaseAssigned.v1', 'CaseTransitioned.v1', 'DecisionFinalized.v1'))
);

-- The relay's poll: oldest unpublished events first.
CREATE INDEX ix_outbox_event_unpublished
  ON outbox_event (created_at)
  WHERE published_at IS NULL;

ALTER TABLE regulatory_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_assignment ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_decision ENABLE ROW LEVEL SECURITY;

CREATE POLICY pol_regulatory_case_tenant ON regulatory_case TO case_app
  USING (tenant_id = current_setting('app.tenant_id')::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE POLICY pol_case_assignment_tenant ON case_assignment TO case_app
  USING (tenant_id = current_setting('app.tenant_id')::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE POLICY pol_case_transition_tenant ON case_transition TO case_app
  USING (tenant_id = current_setting('app.tenant_id')::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE POLICY pol_case_decision_tenant ON case_decision TO case_app
  USING (tenant_id = current_setting('app.tenant_id')::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);

GRANT SELECT, INSERT, UPDATE ON regulatory_case, case_assignment, case_transition, case_decision TO case_app;
GRANT INSERT ON outbox_event TO case_app;

COMMENT ON TABLE regulatory_case IS 'One regulatory matter under lifecycle management.';
COMMENT ON COLUMN regulatory_case.owner_id IS 'Legacy: latest owner only. Replaced by case_assignment; dropped in the contract step.';
COMMENT ON TABLE case_assignment IS 'One responsibility period of one actor, in one role, on one case.';
COMMENT ON COLUMN case_assignment.ended_at IS 'NULL while the assignment is active.';
