package org.cardiogate.gateway.storage;

import java.util.List;

/**
 * One step of the schema: its version, a one-line description (recorded in {@code schema_version}) and the SQL
 * statements that take the database from {@code version - 1} to {@code version}.
 *
 * <p>H2 commits DDL implicitly, so a crash in the middle of a migration can leave some of its statements applied.
 * Every statement is therefore written to be repeatable ({@code IF NOT EXISTS}); the version row is written last,
 * so an interrupted migration simply runs again on the next start.
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be >= 1, was " + version);
        }
        statements = List.copyOf(statements);
    }
}
