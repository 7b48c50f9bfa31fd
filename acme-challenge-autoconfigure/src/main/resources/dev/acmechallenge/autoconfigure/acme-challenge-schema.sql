-- Table of the JDBC challenge store (acme.store=jdbc), under its default name "acme_challenge".
-- The application creates it on startup unless acme.jdbc.initialize-schema=false; run this script
-- instead when the application's database user may not create tables. Standard SQL, tested with
-- PostgreSQL. To use another name, replace acme_challenge and set acme.jdbc.table-name to match.
CREATE TABLE IF NOT EXISTS acme_challenge (
	token VARCHAR(255) NOT NULL PRIMARY KEY,
	key_authorization VARCHAR(512) NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
