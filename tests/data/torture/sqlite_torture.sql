-- tests/data/torture/sqlite_torture.sql - a SQLite schema written to be hard
-- to copy: every type affinity and the declared-type spellings of SQLite's
-- documentation (section 3.1.1 of datatype3.html), STRICT and WITHOUT ROWID
-- tables, every index kind (unique, partial, expression, descending,
-- collated, composite), CHECK constraints, generated columns (VIRTUAL and
-- STORED), collations (NOCASE, RTRIM), defaults, AUTOINCREMENT, a view, an
-- INSTEAD OF trigger on it and an AFTER INSERT trigger, a composite text key
-- with COLLATE NOCASE, a self-reference and an FK cycle. Used by
-- tests/integration/test_fidelity_cross.sh (SQLite -> SQLite catalog diff).
PRAGMA foreign_keys = OFF;

-- every spelling, each with the affinity SQLite gives it
CREATE TABLE spellings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  c_int INT, c_integer INTEGER, c_tinyint TINYINT, c_smallint SMALLINT, c_mediumint MEDIUMINT,
  c_bigint BIGINT, c_ubigint UNSIGNED BIG INT, c_int2 INT2, c_int8 INT8,
  c_character CHARACTER(20), c_varchar VARCHAR(255), c_varying VARYING CHARACTER(255),
  c_nchar NCHAR(55), c_native NATIVE CHARACTER(70), c_nvarchar NVARCHAR(100), c_text TEXT,
  c_clob CLOB,
  c_blob BLOB, c_none,
  c_real REAL, c_double DOUBLE, c_doubleprec DOUBLE PRECISION, c_float FLOAT,
  c_numeric NUMERIC, c_decimal DECIMAL(10,5), c_boolean BOOLEAN, c_date DATE, c_datetime DATETIME,
  c_odd "CHARINT",            -- INT wins: INTEGER affinity
  c_floating FLOATING POINT,  -- "INT" inside: INTEGER affinity (SQLite's own example)
  c_string STRING             -- no rule matches: NUMERIC affinity
);

-- affinities at work: values stored as the affinity converts them
INSERT INTO spellings (c_int, c_integer, c_tinyint, c_smallint, c_mediumint, c_bigint, c_ubigint,
  c_int2, c_int8, c_character, c_varchar, c_varying, c_nchar, c_native, c_nvarchar, c_text, c_clob,
  c_blob, c_none, c_real, c_double, c_doubleprec, c_float, c_numeric, c_decimal, c_boolean, c_date,
  c_datetime, c_odd, c_floating, c_string) VALUES
 (1, 9223372036854775807, 127, -32768, 8388607, -9223372036854775808, 42, 7, 8,
  'fixed', 'varying', 'vary char', 'nchar é', 'native ü', 'nvarchar 漢字', 'text with ''quote''', 'clob',
  x'00ff10', 'anything', 0.1, 1e-300, -2.5, 3.4e38, '12.50', '3.14159', 1, '2024-02-29',
  '2024-03-10 12:00:00.123', '42', '1.5', '0012'),
 (2, '17', '3.0', NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, 42, NULL, NULL, NULL, NULL, 12.5, NULL,
  'text in a blob column', 3.25, '7', '8.5', NULL, NULL, 'not a number', NULL, 0, NULL,
  NULL, 'x', NULL, NULL),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- STRICT: types enforced, ANY kept as given
CREATE TABLE strict_t (
  id INTEGER PRIMARY KEY,
  i INT NOT NULL DEFAULT 0,
  r REAL,
  t TEXT DEFAULT 'none',
  b BLOB,
  a ANY
) STRICT;
INSERT INTO strict_t VALUES (1, 5, 2.5, 'x', x'01', 'text'), (2, 6, NULL, NULL, NULL, 12), (3, 7, 1.0, 'y', NULL, 1.5);

-- a composite text key with COLLATE NOCASE, WITHOUT ROWID, RTRIM
CREATE TABLE country_code (
  country TEXT COLLATE NOCASE NOT NULL,
  code TEXT COLLATE NOCASE NOT NULL,
  label TEXT COLLATE RTRIM,
  PRIMARY KEY (country, code)
) WITHOUT ROWID;
INSERT INTO country_code VALUES ('NL', 'ams', 'Amsterdam  '), ('nl', 'RTM', 'Rotterdam'), ('BE', 'brU', 'Brugge');

-- a self-reference, CHECKs, defaults, generated columns (VIRTUAL and STORED)
CREATE TABLE emp (
  id INTEGER PRIMARY KEY,
  manager_id INTEGER REFERENCES emp(id) ON DELETE SET NULL,
  name TEXT NOT NULL CHECK (length(name) > 0),
  email TEXT COLLATE NOCASE UNIQUE,
  salary NUMERIC NOT NULL DEFAULT 1000 CHECK (salary >= 0),
  active BOOLEAN NOT NULL DEFAULT 1,
  country TEXT, code TEXT,
  yearly REAL GENERATED ALWAYS AS (salary * 12) VIRTUAL,
  shout TEXT GENERATED ALWAYS AS (upper(name)) STORED,
  hired DATE DEFAULT (date('2000-01-01')),
  FOREIGN KEY (country, code) REFERENCES country_code (country, code),
  CHECK (manager_id IS NULL OR manager_id <> id)
);
INSERT INTO emp (id, manager_id, name, email, salary, active, country, code) VALUES
 (1, NULL, 'Ada', 'ada@example.com', 5000, 1, 'NL', 'AMS'),
 (2, 1, 'Bob', 'BOB@example.com', 3000.5, 1, 'nl', 'rtm'),
 (3, 2, 'Cy', NULL, 0, 0, NULL, NULL),
 (4, 1, 'Dee', 'dee@example.com', 4200, 1, 'be', 'BRU');

-- every index kind
CREATE UNIQUE INDEX emp_email_lower ON emp (lower(email));                -- expression, unique
CREATE INDEX emp_active_name ON emp (name) WHERE active = 1;              -- partial
CREATE INDEX emp_salary_desc ON emp (salary DESC, name COLLATE NOCASE);   -- descending, collated
CREATE INDEX emp_manager ON emp (manager_id);                             -- an FK's index
CREATE INDEX cc_label ON country_code (label, country);                   -- composite

-- an FK cycle: dept.head -> staff, staff.dept -> dept
CREATE TABLE dept (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  head_id INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  dept_id INTEGER NOT NULL REFERENCES dept(id),
  name TEXT NOT NULL
);
INSERT INTO dept VALUES (1, 'R&D', 10), (2, 'Ops', 20);
INSERT INTO staff VALUES (10, 1, 'Eve'), (11, 1, 'Fay'), (20, 2, 'Gus');

-- an audit table the trigger writes; the copied rows must not be doubled
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  what TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT 'then'
);
INSERT INTO audit (what) VALUES ('emp 1'), ('emp 2'), ('emp 3'), ('emp 4');

CREATE VIEW v_emp AS
  SELECT e.id, e.name, m.name AS manager, c.label
  FROM emp e LEFT JOIN emp m ON m.id = e.manager_id
  LEFT JOIN country_code c ON c.country = e.country AND c.code = e.code;

CREATE TRIGGER emp_audit AFTER INSERT ON emp
BEGIN
  INSERT INTO audit (what) VALUES ('emp ' || NEW.id);
END;

CREATE TRIGGER v_emp_insert INSTEAD OF INSERT ON v_emp
BEGIN
  INSERT INTO emp (id, name) VALUES (NEW.id, NEW.name);
END;
