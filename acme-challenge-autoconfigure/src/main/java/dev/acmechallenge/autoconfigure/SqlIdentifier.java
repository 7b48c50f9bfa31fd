package dev.acmechallenge.autoconfigure;

import java.util.regex.Pattern;

/**
 * Syntax of the table name of the JDBC challenge store. The name is written into SQL statements
 * as it is, so only unquoted identifiers are accepted. An identifier is a letter or underscore
 * followed by up to 62 letters, digits or underscores, because PostgreSQL's limit is 63 bytes. A
 * schema name of the same form and a dot may precede the table name.
 */
final class SqlIdentifier {

	private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]{0,62}";

	private static final Pattern TABLE_NAME = Pattern.compile("(" + IDENTIFIER + "\\.)?" + IDENTIFIER);

	private SqlIdentifier() {
	}

	static boolean isValidTableName(String name) {
		return name != null && TABLE_NAME.matcher(name).matches();
	}

}
