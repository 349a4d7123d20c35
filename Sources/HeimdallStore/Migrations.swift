/// Schema changes as named, ordered steps; `PRAGMA user_version` records how many ran.
enum Migrations {
    /// One step: SQL run in a transaction with the version bump, or (`transactional: false`) a
    /// statement SQLite refuses inside one (VACUUM), safe to repeat if interrupted.
    struct Step {
        var name: String
        var sql: String
        var transactional = true
    }

    static let steps: [Step] = [
        Step(
            name:
                "create entries",
            sql: """
                CREATE TABLE entries (
                    id TEXT PRIMARY KEY,
                    direct_key TEXT NOT NULL,
                    partition_key TEXT NOT NULL,
                    cache_key TEXT NOT NULL,
                    tenant TEXT NOT NULL,
                    route TEXT NOT NULL,
                    provider TEXT,
                    model TEXT,
                    status INTEGER NOT NULL,
                    headers BLOB NOT NULL,
                    body BLOB NOT NULL,
                    raw_size INTEGER NOT NULL,
                    stored_size INTEGER NOT NULL,
                    is_stream INTEGER NOT NULL DEFAULT 0,
                    prompt_tokens INTEGER,
                    completion_tokens INTEGER,
                    created REAL NOT NULL,
                    expires REAL NOT NULL,
                    hits INTEGER NOT NULL DEFAULT 0,
                    last_hit REAL
                );
                CREATE UNIQUE INDEX entries_direct_key ON entries(direct_key);
                CREATE INDEX entries_cache_key ON entries(cache_key);
                CREATE INDEX entries_expires ON entries(expires);
                """
        ),
        Step(
            name: "embeddings with entries",
            sql: """
                ALTER TABLE entries ADD COLUMN embedding BLOB;
                ALTER TABLE entries ADD COLUMN embedding_model TEXT;
                ALTER TABLE entries ADD COLUMN prompt TEXT;
                """
        ),
        Step(
            name: "video job ids",
            sql: """
                ALTER TABLE entries ADD COLUMN job_id TEXT;
                CREATE INDEX entries_job_id ON entries(job_id) WHERE job_id IS NOT NULL;
                """
        ),
        // LRU eviction walks entries by last use; the expression must match `CacheStore.recency`.
        Step(name: "recency index", sql: "CREATE INDEX entries_recency ON entries(coalesce(last_hit, created));"),
        // Freed pages go back to the file system after eviction (`PRAGMA incremental_vacuum`). New
        // files get this before their first table; older ones are rewritten once, here.
        Step(name: "incremental auto-vacuum", sql: "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;", transactional: false),
    ]

    static func run(on connection: SQLiteConnection) throws(StoreError) {
        let versionStatement = try connection.statement("PRAGMA user_version")
        try versionStatement.step()
        let current = versionStatement.int(0)
        versionStatement.reset()
        guard current <= steps.count else {
            throw StoreError(
                "database \(connection.path) has schema version \(current), newer than this heimdall (\(steps.count)); upgrade heimdall or use another --db"
            )
        }
        for (number, step) in steps.enumerated() where number >= current {
            if step.transactional {
                try connection.transaction { () throws(StoreError) in
                    try connection.execute(step.sql)
                    try connection.execute("PRAGMA user_version = \(number + 1)")
                }
            } else {
                try connection.execute(step.sql)
                try connection.execute("PRAGMA user_version = \(number + 1)")
            }
        }
    }
}
