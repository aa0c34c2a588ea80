-- Validate separately: takes SHARE UPDATE EXCLUSIVE only, so writes continue.
ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_tracking_number_shape;
COMMENT ON COLUMN orders.tracking_number IS 'Carrier tracking number; NULL until the order ships.';
