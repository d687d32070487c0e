-- Why an order was cancelled, in words for the customer (mailed to them, sent with the webhook,
-- shown on their order page). The note beside it stays for staff.
ALTER TABLE order_status_history ADD COLUMN reason TEXT;
