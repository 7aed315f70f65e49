//! Prepared statements that bind text without copying it, for the statements run once or more
//! per ingested record (storing a listing, probing match keys).
//!
//! rusqlite binds every string with `SQLITE_TRANSIENT`, so SQLite allocates and copies each
//! one — a record's raw JSON, description and match features every time it is stored, a
//! twentieth of the writer's time. A [`FastStmt`] binds with `SQLITE_STATIC` instead, which is
//! sound because binding, stepping and resetting happen inside one call that borrows the
//! values: no binding outlives it (the bindings are cleared before it returns).

use std::ffi::{CStr, c_int};
use std::ptr::NonNull;

use rusqlite::{Connection, ffi};

/// One bound value.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text, bound without a copy.
    Text(&'a str),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Int(i64::from(v))
    }
}

impl From<f64> for Arg<'_> {
    fn from(v: f64) -> Self {
        Arg::Real(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(v)
    }
}

impl<'a, T> From<Option<T>> for Arg<'a>
where
    T: Into<Arg<'a>>,
{
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Null, Into::into)
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().map_or(Arg::Null, Arg::Text)
    }
}

/// A prepared statement of one connection, bound without copies (see the module documentation).
/// It must be dropped before its connection: [`super::Store`] keeps its statements in a field
/// declared before the connection's, so they are finalized first.
#[derive(Debug)]
pub struct FastStmt {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
}

// SAFETY: the statement belongs to one connection and moves with it (the store holds both);
// connections are opened without SQLite's mutex (multi-thread mode), which allows using a
// connection and its statements from any one thread at a time, and `FastStmt` is not `Sync`.
unsafe impl Send for FastStmt {}

/// One result row of [`FastStmt::query`].
pub struct FastRow<'s> {
    stmt: &'s FastStmt,
}

impl FastRow<'_> {
    /// Column `i` (0-based) as an integer (NULL reads 0).
    pub fn int(&self, i: c_int) -> i64 {
        // SAFETY: the statement has a current row while the row callback runs.
        unsafe { ffi::sqlite3_column_int64(self.stmt.stmt.as_ptr(), i) }
    }

    /// Column `i` as text; `None` for NULL.
    pub fn text(&self, i: c_int) -> Option<String> {
        let stmt = self.stmt.stmt.as_ptr();
        // SAFETY: the statement has a current row; sqlite3_column_text returns a pointer valid
        // until the next step or column conversion, and its length comes from
        // sqlite3_column_bytes, called after it as SQLite's documentation requires.
        unsafe {
            let ptr = ffi::sqlite3_column_text(stmt, i);
            if ptr.is_null() {
                return None;
            }
            let len = ffi::sqlite3_column_bytes(stmt, i) as usize;
            let bytes = std::slice::from_raw_parts(ptr, len);
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

impl FastStmt {
    /// Prepares `sql` (one statement) on `conn`.
    pub fn prepare(conn: &Connection, sql: &str) -> rusqlite::Result<FastStmt> {
        // SAFETY: the handle is the live connection's; the statement is finalized before it
        // closes (see the type's documentation).
        let db = unsafe { conn.handle() };
        let db = NonNull::new(db).ok_or(rusqlite::Error::InvalidQuery)?;
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `sql` is valid for its length; SQLite copies what it keeps.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db.as_ptr(),
                sql.as_ptr().cast(),
                c_int::try_from(sql.len()).map_err(|_| rusqlite::Error::InvalidQuery)?,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc));
        }
        let stmt = NonNull::new(stmt).ok_or(rusqlite::Error::InvalidQuery)?;
        Ok(FastStmt { stmt, db })
    }

    /// Runs the statement with `args` to completion.
    pub fn execute(&mut self, args: &[Arg<'_>]) -> rusqlite::Result<()> {
        self.query(args, |_| Ok(()))
    }

    /// Runs the statement with `args`, calling `row` for each result row.
    pub fn query(
        &mut self,
        args: &[Arg<'_>],
        mut row: impl FnMut(&FastRow<'_>) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        let stmt = self.stmt.as_ptr();
        let result = (|| {
            self.bind(args)?;
            loop {
                // SAFETY: the statement is prepared and its bound values borrow `args`, which
                // outlives this call; they are cleared before it returns.
                match unsafe { ffi::sqlite3_step(stmt) } {
                    ffi::SQLITE_ROW => row(&FastRow { stmt: self })?,
                    ffi::SQLITE_DONE => return Ok(()),
                    rc => return Err(error(self.db, rc)),
                }
            }
        })();
        // SAFETY: resetting and unbinding a prepared statement; after this no binding points
        // into `args`.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        result
    }

    fn bind(&mut self, args: &[Arg<'_>]) -> rusqlite::Result<()> {
        let stmt = self.stmt.as_ptr();
        // SAFETY: a prepared statement.
        let expected = unsafe { ffi::sqlite3_bind_parameter_count(stmt) };
        if usize::try_from(expected).ok() != Some(args.len()) {
            return Err(rusqlite::Error::InvalidParameterCount(
                args.len(),
                expected as usize,
            ));
        }
        for (i, arg) in args.iter().enumerate() {
            let i = i as c_int + 1;
            // SAFETY: text is bound SQLITE_STATIC: it borrows `args`, which outlives every use
            // of the binding (see `query`).
            let rc = unsafe {
                match *arg {
                    Arg::Null => ffi::sqlite3_bind_null(stmt, i),
                    Arg::Int(v) => ffi::sqlite3_bind_int64(stmt, i, v),
                    Arg::Real(v) => ffi::sqlite3_bind_double(stmt, i, v),
                    Arg::Text(v) => ffi::sqlite3_bind_text64(
                        stmt,
                        i,
                        v.as_ptr().cast(),
                        v.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error(self.db, rc));
            }
        }
        Ok(())
    }
}

impl Drop for FastStmt {
    fn drop(&mut self) {
        // SAFETY: finalizing our own statement once; the connection is still open.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The connection's error for result code `rc`, with its message.
fn error(db: NonNull<ffi::sqlite3>, rc: c_int) -> rusqlite::Error {
    // SAFETY: the connection is open; the message is copied before any other call.
    let message = unsafe {
        let msg = ffi::sqlite3_errmsg(db.as_ptr());
        (!msg.is_null()).then(|| CStr::from_ptr(msg).to_string_lossy().into_owned())
    };
    // The extended code says which constraint failed, as rusqlite reports it.
    // SAFETY: as above.
    let code = unsafe { ffi::sqlite3_extended_errcode(db.as_ptr()) };
    let code = if code & 0xff == rc & 0xff { code } else { rc };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b REAL, c)")
            .unwrap();
        conn
    }

    /// Values bound without copies are stored as given, each call starts from fresh bindings,
    /// and text borrowed by one call is not read after it (the next call's differs).
    #[test]
    fn binds_run_and_reset() {
        let conn = conn();
        let mut insert =
            FastStmt::prepare(&conn, "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)").unwrap();
        for i in 0..3i64 {
            let text = format!("row {i} é");
            insert
                .execute(&[
                    Arg::from(&text),
                    Arg::Real(i as f64 / 2.0),
                    Arg::from(None::<i64>),
                ])
                .unwrap();
        }
        let mut select =
            FastStmt::prepare(&conn, "SELECT id, a, c FROM t WHERE id >= ?1 ORDER BY id").unwrap();
        let mut seen = Vec::new();
        select
            .query(&[Arg::Int(2)], |r| {
                seen.push((r.int(0), r.text(1), r.text(2)));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            seen,
            vec![
                (2, Some("row 1 é".to_string()), None),
                (3, Some("row 2 é".to_string()), None)
            ]
        );
        let b: f64 = conn
            .query_row("SELECT b FROM t WHERE id = 3", [], |r| r.get(0))
            .unwrap();
        assert_eq!(b, 1.0);
    }

    /// Errors come back as rusqlite's, with SQLite's message and extended code; the statement
    /// stays usable. A wrong argument count is refused before anything runs.
    #[test]
    fn errors_name_the_constraint_and_leave_the_statement_usable() {
        let conn = conn();
        let mut insert = FastStmt::prepare(&conn, "INSERT INTO t (a) VALUES (?1)").unwrap();
        insert.execute(&[Arg::Text("x")]).unwrap();
        let err = insert.execute(&[Arg::Text("x")]).unwrap_err();
        match &err {
            rusqlite::Error::SqliteFailure(e, Some(msg)) => {
                assert_eq!(e.extended_code, ffi::SQLITE_CONSTRAINT_UNIQUE);
                assert!(msg.contains("UNIQUE constraint failed: t.a"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        insert.execute(&[Arg::Text("y")]).unwrap();
        assert!(matches!(
            insert.execute(&[]),
            Err(rusqlite::Error::InvalidParameterCount(0, 1))
        ));
        assert!(FastStmt::prepare(&conn, "SELEC nothing").is_err());
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
    }
}
