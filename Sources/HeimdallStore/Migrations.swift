/// Schema changes as named, ordered steps; `PRAGMA user_version` records how many ran.
enum Migrations {
    static let steps: [(name: String, sql: String)] = [
        (
            "create entries",
            """
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
        (
            "embeddings with entries",
            """
            ALTER TABLE entries ADD COLUMN embedding BLOB;
            ALTER TABLE entries ADD COLUMN embedding_model TEXT;
            ALTER TABLE entries ADD COLUMN prompt TEXT;
            """
        ),
        (
            "video job ids",
            """
            ALTER TABLE entries ADD COLUMN job_id TEXT;
            CREATE INDEX entries_job_id ON entries(job_id) WHERE job_id IS NOT NULL;
            """
        ),
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
            try connection.transaction { () throws(StoreError) in
                try connection.execute(step.sql)
                try connection.execute("PRAGMA user_version = \(number + 1)")
            }
        }
    }
}
