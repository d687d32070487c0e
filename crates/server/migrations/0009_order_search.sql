-- What staff find an order by besides its number: the customer's name and company, lower-cased
-- (the order body is JSON, which the two databases search differently). Filled when the order
-- is stored; older orders get it at start.
ALTER TABLE orders ADD COLUMN search TEXT;
