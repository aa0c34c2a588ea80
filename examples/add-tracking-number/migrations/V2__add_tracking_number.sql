-- Expand: a nullable column is a metadata-only change; no table rewrite, brief lock.
-- One statement, so the ACCESS EXCLUSIVE lock is queued for once.
SET lock_timeout = '2s';
SET statement_timeout = '5s';
ALTER TABLE orders
  ADD COLUMN tracking_number text,
  ADD CONSTRAINT ck_orders_tracking_number_shape
    CHECK (tracking_number IS NULL OR tracking_number ~ '^[A-Z0-9]{8,30}$') NOT VALID;
