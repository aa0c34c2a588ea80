-- Validate separately: takes SHARE UPDATE EXCLUSIVE only, so writes continue. The scan may
-- take a while on a big table, so only the wait for the lock is bounded.
SET lock_timeout = '2s';
SET statement_timeout = '10min';
ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_tracking_number_shape;
COMMENT ON COLUMN orders.tracking_number IS 'Carrier tracking number; NULL until the order ships.';
