-- tests/data/torture/mysql_torture.sql - a MariaDB (10.11) schema written to
-- torture a same-engine clone: every column type, every index kind, views
-- (one on another), a trigger, a procedure and a function, generated
-- columns, CHECKs, comments, collations per column, a composite text key,
-- a self-reference, a two-table FK cycle, a partitioned table, a sequence
-- and an event. Loaded into the current database (the test says USE first).
SET NAMES utf8mb4;
SET FOREIGN_KEY_CHECKS = 0;

CREATE SEQUENCE ticket_seq START WITH 1000 INCREMENT BY 5 MINVALUE 1000 MAXVALUE 999999 CACHE 10;

CREATE TABLE all_types (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  t_tiny TINYINT NOT NULL DEFAULT -3,
  t_tiny_u TINYINT UNSIGNED,
  t_bool BOOLEAN DEFAULT TRUE,
  t_small SMALLINT,
  t_small_u SMALLINT UNSIGNED,
  t_medium MEDIUMINT,
  t_medium_u MEDIUMINT UNSIGNED ZEROFILL,
  t_int INT,
  t_big BIGINT,
  t_big_u BIGINT UNSIGNED,
  t_dec DECIMAL(12,4) DEFAULT 1.5000,
  t_dec_u DECIMAL(30,10) UNSIGNED,
  t_float FLOAT,
  t_double DOUBLE,
  t_bit BIT(10) DEFAULT b'101',
  t_char CHAR(5) CHARACTER SET latin1 COLLATE latin1_general_cs,
  t_varchar VARCHAR(100) COLLATE utf8mb4_unicode_ci DEFAULT 'n/a',
  t_vc_bin VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  t_vc_ascii VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin,
  t_tinytext TINYTEXT,
  t_text TEXT CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci,
  t_mediumtext MEDIUMTEXT,
  t_longtext LONGTEXT COLLATE utf8mb4_general_ci,
  t_binary BINARY(4),
  t_varbinary VARBINARY(16),
  t_tinyblob TINYBLOB,
  t_blob BLOB,
  t_mediumblob MEDIUMBLOB,
  t_longblob LONGBLOB,
  t_date DATE DEFAULT '2000-01-01',
  t_time TIME(6),
  t_datetime DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  t_timestamp TIMESTAMP NULL DEFAULT NULL,
  t_year YEAR,
  t_enum ENUM('small','Medium','LARGE','x-large') NOT NULL DEFAULT 'Medium',
  t_set SET('red','green','blue'),
  t_json JSON,
  t_uuid UUID,
  t_inet6 INET6,
  t_inet4 INET4,
  t_total DECIMAL(14,4) AS (t_dec * 2) VIRTUAL,
  t_upper VARCHAR(100) AS (UPPER(t_varchar)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY uq_vc_bin (t_vc_bin),
  KEY ix_multi (t_small, t_int DESC),
  KEY ix_prefix (t_mediumtext(20)),
  KEY ix_ignored (t_big) IGNORED,
  KEY ix_upper (t_upper) COMMENT 'index on a stored generated column',
  FULLTEXT KEY ft_text (t_longtext),
  CONSTRAINT ck_tiny CHECK (t_tiny BETWEEN -100 AND 100),
  CONSTRAINT ck_dec CHECK (t_dec >= 0 OR t_dec IS NULL)
) ENGINE=InnoDB AUTO_INCREMENT=5000 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='one column of every type';

CREATE TABLE places (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  g GEOMETRY,
  p POINT NOT NULL,
  area POLYGON,
  SPATIAL KEY sp_p (p)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

-- a composite text key compared case-insensitively
CREATE TABLE words (
  lang VARCHAR(8) COLLATE utf8mb4_unicode_ci NOT NULL,
  word VARCHAR(64) COLLATE utf8mb4_unicode_ci NOT NULL,
  spelling VARCHAR(64) COLLATE utf8mb4_unicode_ci NOT NULL COMMENT 'case variants live here',
  exact VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (lang, word),
  UNIQUE KEY uq_exact (exact),
  KEY ix_spelling (spelling)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE employees (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  manager_id INT NULL,
  hired DATE NOT NULL,
  left_on DATE NULL,
  CONSTRAINT fk_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL,
  CONSTRAINT ck_dates CHECK (left_on IS NULL OR left_on >= hired)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- a two-table cycle
CREATE TABLE dept (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(40) NOT NULL,
  head_id INT NULL,
  CONSTRAINT fk_dept_head FOREIGN KEY (head_id) REFERENCES staff (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE staff (
  id INT NOT NULL PRIMARY KEY,
  dept_id INT NULL,
  name VARCHAR(40) NOT NULL,
  CONSTRAINT fk_staff_dept FOREIGN KEY (dept_id) REFERENCES dept (id) ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE orders (
  id BIGINT NOT NULL,
  placed DATE NOT NULL,
  ticket BIGINT NOT NULL DEFAULT NEXTVAL(ticket_seq),
  amount DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (id, placed)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  PARTITION BY RANGE (YEAR(placed)) (
    PARTITION p2022 VALUES LESS THAN (2023),
    PARTITION p2023 VALUES LESS THAN (2024),
    PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE audit_log (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  what VARCHAR(100) NOT NULL,
  at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET FOREIGN_KEY_CHECKS = 1;

-- data
INSERT INTO all_types (t_tiny, t_tiny_u, t_bool, t_small, t_small_u, t_medium, t_medium_u, t_int, t_big,
  t_big_u, t_dec, t_dec_u, t_float, t_double, t_bit, t_char, t_varchar, t_vc_bin, t_vc_ascii, t_tinytext,
  t_text, t_mediumtext, t_longtext, t_binary, t_varbinary, t_tinyblob, t_blob, t_mediumblob, t_longblob,
  t_date, t_time, t_datetime, t_timestamp, t_year, t_enum, t_set, t_json, t_uuid, t_inet6, t_inet4) VALUES
 (-100, 255, 0, -32768, 65535, -8388608, 16777215, -2147483648, -9223372036854775808,
  18446744073709551615, 12345678.1234, 99999999999999999999.9999999999, 3.5, 2.718281828459045, b'1111111111',
  'abc', 'Grüße aus Köln', 'abc', 'plain', 'tiny', 'text with ''quotes'' and \\ backslash',
  'medium text here', 'the quick brown fox jumps', 0x00ff10ab, 0xdeadbeef, 0x01, 0x0203, X'', NULL,
  '1999-12-31', '-838:59:59.000000', '2024-02-29 23:59:59.999999', '2038-01-19 03:14:07', 1901, 'small',
  'red,blue', '{"a": [1, 2, {"b": null}]}', '123e4567-e89b-12d3-a456-426614174000', '2001:db8::ff00:42:8329',
  '192.168.0.1'),
 (100, 0, 1, 32767, 0, 8388607, 0, 2147483647, 9223372036854775807, 0, 0, 0, -1.25e-10, -1e300,
  b'0', 'ABC', 'grüsse aus köln', 'ABC', '', '', 'ünïcödé ✓', CONCAT('😀 ', REPEAT('m', 3000)), 'lazy dog',
  0x00000000, X'', '', '', '', 0x00ff, '2155-01-01', '00:00:00.000001', '1000-01-01 00:00:00.000000',
  '1970-01-01 00:00:01', 2155, 'x-large', '', '[]', '00000000-0000-0000-0000-000000000000', '::1', '0.0.0.0'),
 (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'LARGE',
  NULL, NULL, NULL, NULL, NULL);

INSERT INTO places (g, p, area) VALUES
 (ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)'), ST_PointFromText('POINT(4.9 52.37)'),
  ST_PolygonFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))')),
 (ST_GeomFromText('POINT(-1 -1)'), ST_PointFromText('POINT(0 0)'), NULL);

INSERT INTO words VALUES
 ('en', 'Colour', 'Colour', 'colour'), ('en', 'color', 'COLOR', 'Colour'), ('de', 'Straße', 'straße', 'Straße'),
 ('de', 'Weg', 'STRASSE', 'strasse'), ('fr', 'Élan', 'élan', 'Élan'), ('fr', 'éclat', 'Éclat', 'élan');

INSERT INTO employees VALUES (1, 'Ada', NULL, '2001-01-01', NULL), (2, 'Brian', 1, '2005-06-01', '2019-09-30'),
 (3, 'Chen', 2, '2010-03-15', NULL), (4, 'Dora', 2, '2011-11-11', NULL);

SET FOREIGN_KEY_CHECKS = 0;
INSERT INTO dept VALUES (10, 'Research', 100), (20, 'Sales', 200), (30, 'Empty', NULL);
INSERT INTO staff VALUES (100, 10, 'Eve'), (200, 20, 'Finn'), (300, 10, 'Gus'), (400, NULL, 'Hana');
SET FOREIGN_KEY_CHECKS = 1;

INSERT INTO orders (id, placed, amount) VALUES (1, '2022-05-01', 10.00), (2, '2023-01-15', 20.50),
 (3, '2024-07-04', 99.99), (4, '2022-12-31', 0.01);
-- the sequence moved on past what the orders took
SELECT NEXTVAL(ticket_seq), NEXTVAL(ticket_seq);

-- objects (after the data: the trigger must not have fired for the rows above)
CREATE FUNCTION order_tax(amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC
  COMMENT 'VAT at 21%' RETURN ROUND(amount * 0.21, 2);

DELIMITER //
CREATE PROCEDURE raise_all(IN pct INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE done INT DEFAULT 0;
  UPDATE orders SET amount = amount * (100 + pct) / 100;
  INSERT INTO audit_log (what) VALUES (CONCAT('raise ', pct));
END//
CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW
BEGIN
  INSERT INTO audit_log (what) VALUES (CONCAT('order ', NEW.id));
END//
CREATE TRIGGER staff_name BEFORE UPDATE ON staff FOR EACH ROW
  SET NEW.name = TRIM(NEW.name)//
DELIMITER ;

CREATE VIEW order_totals AS
  SELECT placed, amount, order_tax(amount) AS tax FROM orders WHERE amount > 1;
CREATE SQL SECURITY INVOKER VIEW big_orders AS
  SELECT placed, amount + tax AS gross FROM order_totals WHERE amount > 15 WITH CHECK OPTION;
CREATE ALGORITHM=MERGE VIEW staff_depts AS
  SELECT s.name AS staff, d.name AS dept FROM staff s LEFT JOIN dept d ON d.id = s.dept_id;

CREATE EVENT nightly_purge ON SCHEDULE EVERY 1 DAY DISABLE
  DO DELETE FROM audit_log WHERE at < NOW() - INTERVAL 30 DAY;
