import GRDB
import GRDBSQLite

/// Runs one prepared statement per row with the values bound through SQLite's C API. The
/// first apply of a 50,000-agent tenant writes 150,000 rows, and building GRDB's statement
/// arguments for each of them cost more than SQLite's own insert.
struct BulkInsert {
    private let statement: Statement
    private let db: Database
    private var index: CInt = 0

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the row's next value.
    mutating func bind(_ text: String) {
        index += 1
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let start = chars.baseAddress {
                    _ = sqlite3_bind_text(statement.sqliteStatement, index, start, CInt(chars.count), BulkInsert.transient)
                } else {
                    _ = sqlite3_bind_text(statement.sqliteStatement, index, "", 0, BulkInsert.transient)
                }
            }
        }
    }

    /// Binds the row's next value, NULL for nil.
    mutating func bind(_ number: Int64?) {
        guard let number else { return bindNull() }
        bind(number)
    }

    private mutating func bindNull() {
        index += 1
        _ = sqlite3_bind_null(statement.sqliteStatement, index)
    }

    mutating func bind(_ number: Int64) {
        index += 1
        _ = sqlite3_bind_int64(statement.sqliteStatement, index, number)
    }

    mutating func bind(_ number: Int) {
        bind(Int64(number))
    }

    /// Executes the statement with the values bound since the last row.
    mutating func insertRow() throws {
        index = 0
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    /// SQLite copies the bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
