-- Which deployment wrote this database, and when; later migrations add the product's tables.
CREATE TABLE schema_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO schema_info (key, value) VALUES ('created_by', 'smart1 server');
